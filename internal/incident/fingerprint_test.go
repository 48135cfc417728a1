package incident_test

import (
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

func TestFingerprint(t *testing.T) {
	base := func() *incident.Incident {
		return &incident.Incident{
			Language: "go", Type: "*errors.errorString", Message: "order 12 failed",
			Frames: []incident.Frame{
				{Module: "net/http", Function: "HandlerFunc.ServeHTTP", Line: 2136},
				{Module: "shop/api", Function: "Checkout", Line: 40, InApp: true},
				{Module: "shop/api", Function: "Checkout.func1", Line: 44, InApp: true},
				{Module: "shop/cart", Function: "(*Cart).Total", Line: 88, InApp: true},
			},
		}
	}
	tests := []struct {
		name   string
		change func(*incident.Incident)
		same   bool
	}{
		{"line numbers shift", func(i *incident.Incident) { i.Frames[3].Line, i.Frames[1].Line = 90, 41 }, true},
		{"message carries other ids", func(i *incident.Incident) { i.Message = "order 99 failed" }, true},
		{"closure renumbered", func(i *incident.Incident) { i.Frames[2].Function = "Checkout.func2.1" }, true},
		{"library frame changed", func(i *incident.Incident) { i.Frames[0].Function = "(*ServeMux).ServeHTTP" }, true},
		{"file moved", func(i *incident.Incident) { i.Frames[3].File = "cart/total.go" }, true},
		{"other exception type", func(i *incident.Incident) { i.Type = "*cart.EmptyError" }, false},
		{"other crash function", func(i *incident.Incident) { i.Frames[3].Function = "(*Cart).Tax" }, false},
		{"other module", func(i *incident.Incident) { i.Frames[3].Module = "shop/billing" }, false},
		{"other language", func(i *incident.Incident) { i.Language = "python" }, false},
	}
	want := incident.Fingerprint(base())
	if len(want) != 64 {
		t.Fatalf("fingerprint %q is not 64 hex characters", want)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := base()
			tt.change(inc)
			if got := incident.Fingerprint(inc); (got == want) != tt.same {
				t.Errorf("fingerprint same = %v, want %v", got == want, tt.same)
			}
		})
	}
}

func TestFingerprintTraceMatchesSDKClosures(t *testing.T) {
	// A raw trace names closures main.main.func1; the Go SDK strips the
	// enclosing function's name. Both must give one class.
	trace := &incident.Incident{Language: "go", Type: "panic", Frames: []incident.Frame{
		{Module: "main", Function: "main", InApp: true},
		{Module: "main", Function: "main.func1", InApp: true},
	}}
	sdk := &incident.Incident{Language: "go", Type: "panic", Frames: []incident.Frame{
		{Module: "main", Function: "main", InApp: true},
		{Module: "main", Function: "func1", InApp: true},
	}}
	if incident.Fingerprint(trace) != incident.Fingerprint(sdk) {
		t.Error("trace and SDK spellings of a closure give different fingerprints")
	}
}

func TestFingerprintWithoutInAppFrames(t *testing.T) {
	lib := func(fn string) *incident.Incident {
		return &incident.Incident{Language: "javascript", Type: "TypeError", Frames: []incident.Frame{
			{Module: "vendor", Function: "apply"}, {Module: "vendor", Function: fn},
		}}
	}
	if incident.Fingerprint(lib("a")) == incident.Fingerprint(lib("b")) {
		t.Error("with no in-app frames, all frames must count")
	}
}

func TestFingerprintWithoutFrames(t *testing.T) {
	msg := func(m string) string {
		return incident.Fingerprint(&incident.Incident{Language: "go", Type: "", Message: m})
	}
	tests := []struct {
		name, a, b string
		same       bool
	}{
		{"numbers", "user 17 has 3 carts", "user 942 has 12 carts", true},
		{"hex ids", "object 0xc000123 at deadbeef01", "object 0xc000999 at cafebabe02", true},
		{"uuids", "job 0b9f2c1e-6a57-4b8e-9a42-1c2d3e4f5a6b failed", "job 7d444840-9dc0-11d1-b245-5ffdce74fad2 failed", true},
		{"quoted", `key "alpha" missing`, `key "beta" missing`, true},
		{"emails", "no account for a@example.com", "no account for b.c@example.org", true},
		{"different words", "disk full", "disk missing", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := msg(tt.a) == msg(tt.b); got != tt.same {
				t.Errorf("%q vs %q: same = %v, want %v", tt.a, tt.b, got, tt.same)
			}
		})
	}
}
