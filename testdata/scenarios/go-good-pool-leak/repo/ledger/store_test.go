package ledger

import (
	"errors"
	"testing"
)

func TestTransfer(t *testing.T) {
	s := NewStore(2, map[string]int{"a": 500, "b": 0}, func(err error) { t.Errorf("reported %v", err) })
	for range 3 { // more transfers than connections
		if err := s.Transfer("a", "b", 100); err != nil {
			t.Fatalf("Transfer: %v", err)
		}
	}
	if a, b := s.Balance("a"), s.Balance("b"); a != 200 || b != 300 {
		t.Errorf("balances a=%d b=%d, want 200 and 300", a, b)
	}
}

func TestTransferInsufficientFunds(t *testing.T) {
	s := NewStore(2, map[string]int{"a": 50}, func(error) {})
	err := s.Transfer("a", "b", 100)
	if !errors.Is(err, ErrInsufficientFunds) || s.Balance("a") != 50 {
		t.Errorf("Transfer over the balance = %v, balance %d; want ErrInsufficientFunds, 50", err, s.Balance("a"))
	}
}

func TestPoolExhausted(t *testing.T) {
	p := NewPool(1)
	c, err := p.Get()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Get(); !errors.Is(err, ErrExhausted) {
		t.Errorf("second Get = %v, want ErrExhausted", err)
	}
	p.Put(c)
	if _, err := p.Get(); err != nil {
		t.Errorf("Get after Put = %v", err)
	}
}
