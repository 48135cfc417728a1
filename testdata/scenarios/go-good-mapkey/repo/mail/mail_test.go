package mail

import "testing"

// sent records what a Mailer sent and reported.
type sent struct {
	to, body []string
	reported []error
}

func newMailer(s *sent) *Mailer {
	return New(func(to, body string) error {
		s.to, s.body = append(s.to, to), append(s.body, body)
		return nil
	}, func(err error) { s.reported = append(s.reported, err) })
}

func TestWelcome(t *testing.T) {
	tests := []struct {
		name, locale, want string
	}{
		{name: "english", locale: "en", want: "Welcome to the shop, Ana!"},
		{name: "portuguese", locale: "pt", want: "Bem-vindo à loja, Ana!"},
		{name: "german", locale: "de", want: "Willkommen im Shop, Ana!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s sent
			c := Customer{ID: 1, Name: "Ana", Email: "ana@example.com", Locale: tt.locale}
			if err := newMailer(&s).Welcome(c); err != nil {
				t.Fatalf("Welcome: %v", err)
			}
			if len(s.body) != 1 || s.body[0] != tt.want || s.to[0] != c.Email {
				t.Errorf("sent %q to %q, want %q to %s", s.body, s.to, tt.want, c.Email)
			}
		})
	}
}

func TestRenderUnknownTemplate(t *testing.T) {
	var s sent
	if _, err := newMailer(&s).render("invoice_en", Customer{}); err == nil {
		t.Error("render of a template that does not exist succeeded")
	}
}
