package ledger

import (
	"errors"
	"fmt"
	"sync"
)

// ErrInsufficientFunds refuses a transfer larger than the balance.
var ErrInsufficientFunds = errors.New("ledger: insufficient funds")

// Store holds account balances in cents.
type Store struct {
	pool     *Pool
	mu       sync.Mutex
	balances map[string]int
	// Report is told about failures of the database layer, not about
	// refused transfers; production sends it to the error tracker.
	Report func(error)
}

// NewStore returns a store of balances served through a pool of conns
// connections.
func NewStore(conns int, balances map[string]int, report func(error)) *Store {
	return &Store{pool: NewPool(conns), balances: balances, Report: report}
}

// Balance returns an account's balance.
func (s *Store) Balance(account string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balances[account]
}

// Transfer moves amount cents from one account to another. It refuses a
// transfer the balance does not cover with ErrInsufficientFunds.
func (s *Store) Transfer(from, to string, amount int) error {
	c, err := s.pool.Get()
	if err != nil {
		err = fmt.Errorf("transfer %s to %s: %w", from, to, err)
		s.Report(err)
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.balances[from] < amount {
		return fmt.Errorf("transfer %s to %s: %w", from, to, ErrInsufficientFunds)
	}
	s.balances[from] -= amount
	s.balances[to] += amount
	s.pool.Put(c)
	return nil
}
