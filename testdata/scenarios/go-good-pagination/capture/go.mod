module example.com/catalog/capture

go 1.26

require (
	example.com/catalog v0.0.0-00010101000000-000000000000
	github.com/getsentry/sentry-go v0.50.0
)

require (
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

replace example.com/catalog => ../repo
