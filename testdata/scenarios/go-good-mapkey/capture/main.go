// Command capture makes go-good-mapkey's event.json: it runs the mail
// package's real Mailer for a new customer whose locale (fr) has no
// translation, with Report wired to sentry.CaptureException as production
// wires it, and writes the event the SDK would have sent.
//
// Run it from this directory: go run .
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"example.com/mailer/mail"
	"github.com/getsentry/sentry-go"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "capture: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	t, err := initSentry("mailer@3.1.4")
	if err != nil {
		return err
	}
	m := mail.New(
		func(to, body string) error { return nil }, // the SMTP relay; never reached
		func(err error) { sentry.CaptureException(err) },
	)
	m.Welcome(mail.Customer{ID: 4411, Name: "Camille", Email: "camille@example.fr", Locale: "fr"}) // the error is the event
	return writeDispatch(ctx, t, "../event.json")
}
