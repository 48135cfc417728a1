package a

var limit = 10
