package a

func f() error {
	return nil
}

func g() error {
	return nil
}
