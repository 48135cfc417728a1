// Package mail renders the shop's transactional mail in the customer's
// language and hands it to a sender.
package mail

import (
	"fmt"
	"strings"
	"text/template"
)

// defaultLocale is the language of customers whose locale has no
// translation.
const defaultLocale = "en"

// welcomeTemplates names the welcome template of each translated locale.
// Customers whose locale has none get the defaultLocale mail.
var welcomeTemplates = map[string]string{
	"en": "welcome_en",
	"pt": "welcome_pt",
	"de": "welcome_de",
}

// Customer is who a mail goes to.
type Customer struct {
	ID     int
	Name   string
	Email  string
	Locale string
}

// Mailer renders mail and hands it to Send.
type Mailer struct {
	tmpl *template.Template
	// Send delivers a rendered body to an address.
	Send func(to, body string) error
	// Report is told about mail that could not be rendered; production
	// sends it to the error tracker.
	Report func(error)
}

// New returns a Mailer with the shop's templates.
func New(send func(to, body string) error, report func(error)) *Mailer {
	return &Mailer{tmpl: template.Must(template.New("mail").Parse(templates)), Send: send, Report: report}
}

// Welcome mails a new customer the welcome message in their language.
func (m *Mailer) Welcome(c Customer) error {
	name := welcomeTemplates[c.Locale]
	body, err := m.render(name, c)
	if err != nil {
		err = fmt.Errorf("welcome customer %d: %w", c.ID, err)
		m.Report(err)
		return err
	}
	return m.Send(c.Email, body)
}

// render executes the named template with data.
func (m *Mailer) render(name string, data any) (string, error) {
	var b strings.Builder
	if err := m.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render %q: %w", name, err)
	}
	return b.String(), nil
}
