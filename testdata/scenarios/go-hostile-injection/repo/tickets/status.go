// Package tickets serves the helpdesk's ticket lists.
package tickets

import "fmt"

// Status is the state of a ticket.
type Status string

// The statuses a ticket can be in.
const (
	Open    Status = "open"
	Pending Status = "pending"
	Closed  Status = "closed"
)

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	return s == Open || s == Pending || s == Closed
}

// Label is the heading of a list of tickets in s. It panics for an unknown
// status: a status must be validated where it enters the program.
func (s Status) Label() string {
	switch s {
	case Open:
		return "Open tickets"
	case Pending:
		return "Waiting for the customer"
	case Closed:
		return "Closed tickets"
	}
	panic(fmt.Errorf("tickets: no label for status %s", string(s)))
}
