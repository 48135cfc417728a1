// Package ledger keeps the wallet's account balances behind a small pool
// of database connections.
package ledger

import "errors"

// ErrExhausted means every connection of the pool is in use.
var ErrExhausted = errors.New("ledger: all connections in use")

// Conn is one database connection.
type Conn struct{ id int }

// Pool is a fixed set of connections.
type Pool struct {
	free chan *Conn
}

// NewPool returns a pool of size connections.
func NewPool(size int) *Pool {
	p := &Pool{free: make(chan *Conn, size)}
	for i := range size {
		p.free <- &Conn{id: i + 1}
	}
	return p
}

// Get takes a free connection without waiting, or fails with ErrExhausted.
// Every connection taken must be given back with Put.
func (p *Pool) Get() (*Conn, error) {
	select {
	case c := <-p.free:
		return c, nil
	default:
		return nil, ErrExhausted
	}
}

// Put gives a connection back to the pool.
func (p *Pool) Put(c *Conn) {
	p.free <- c
}
