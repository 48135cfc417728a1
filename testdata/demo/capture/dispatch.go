package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// dispatch is the repository_dispatch event a runner writes to
// GITHUB_EVENT_PATH, with its top-level keys in GitHub's order.
type dispatch struct {
	Action        string          `json:"action"`
	Branch        string          `json:"branch"`
	ClientPayload clientPayload   `json:"client_payload"`
	Repository    json.RawMessage `json:"repository"`
	Organization  json.RawMessage `json:"organization,omitempty"`
	Sender        json.RawMessage `json:"sender"`
	Installation  json.RawMessage `json:"installation,omitempty"`
}

// clientPayload carries the Sentry event, as a relay forwards it.
type clientPayload struct {
	Event json.RawMessage `json:"event"`
}

// updateDispatch replaces the event in the dispatch file at path, keeping
// its repository, organization, sender and installation.
func updateDispatch(path string, event []byte) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read dispatch template: %w", err)
	}
	var d dispatch
	if err := json.Unmarshal(data, &d); err != nil {
		return fmt.Errorf("parse dispatch %s: %w", path, err)
	}
	if len(d.Repository) == 0 || len(d.Sender) == 0 {
		return fmt.Errorf("dispatch %s: missing repository or sender", path)
	}
	d.Action, d.Branch = "sentry-issue", "main"
	d.ClientPayload.Event = event
	out, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("encode dispatch: %w", err)
	}
	if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
		return fmt.Errorf("write dispatch: %w", err)
	}
	return nil
}
