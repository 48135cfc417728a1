module example.com/cihealth

go 1.26
