package incident_test

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// addFixtureSeeds adds every fixture file under dirs, shared (when present)
// and local, to the corpus; the inline seeds run either way.
func addFixtureSeeds(f *testing.F, dirs ...string) {
	for _, root := range []string{fixturesDir, localFixturesDir} {
		for _, dir := range dirs {
			_ = filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() || d.Name() == "README.md" {
					return nil
				}
				if data, err := os.ReadFile(path); err == nil {
					f.Add(data)
				}
				return nil
			})
		}
	}
}

// fuzzParse fuzzes Parse in one format: no panic, and every incident it
// returns keeps the caps and carries a fingerprint.
func fuzzParse(f *testing.F, format incident.Format, seeds []string, dirs ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	addFixtureSeeds(f, dirs...)
	f.Fuzz(func(t *testing.T, data []byte) {
		inc, err := incident.Parse(data, format)
		if err != nil {
			if inc != nil {
				t.Fatalf("Parse returned an incident with error %v", err)
			}
			return
		}
		checkInvariants(t, inc)
	})
}

// checkInvariants asserts what every parsed incident guarantees.
func checkInvariants(t *testing.T, inc *incident.Incident) {
	t.Helper()
	if b, err := hex.DecodeString(inc.Fingerprint); err != nil || len(b) != 32 {
		t.Fatalf("fingerprint %q is not hex SHA-256", inc.Fingerprint)
	}
	if len(inc.Frames) > incident.MaxFrames || len(inc.Chain) > incident.MaxChain {
		t.Fatalf("%d frames, %d chained: over the caps", len(inc.Frames), len(inc.Chain))
	}
	checkString(t, inc.Message, incident.MaxMessageBytes)
	for _, s := range []string{inc.Type, inc.Culprit, inc.Level, inc.Environment, inc.Release} {
		checkString(t, s, incident.MaxStringBytes)
	}
	for _, c := range inc.Chain {
		checkString(t, c.Message, incident.MaxMessageBytes)
		checkString(t, c.Type, incident.MaxStringBytes)
		if len(c.Frames) > incident.MaxFrames {
			t.Fatalf("chained exception has %d frames", len(c.Frames))
		}
	}
	for _, fr := range inc.Frames {
		for _, s := range []string{fr.File, fr.AbsPath, fr.Function, fr.Module} {
			checkString(t, s, incident.MaxStringBytes)
		}
	}
	if _, err := json.Marshal(inc); err != nil {
		t.Fatalf("marshal incident: %v", err)
	}
}

// checkString asserts s is within n bytes and valid UTF-8 (no rune cut).
func checkString(t *testing.T, s string, n int) {
	t.Helper()
	if len(s) > n {
		t.Fatalf("string of %d bytes over its cap %d", len(s), n)
	}
	if !utf8.ValidString(s) {
		t.Fatalf("string is not valid UTF-8: %q", s[max(len(s)-16, 0):])
	}
}

func FuzzParseSentryEvent(f *testing.F) {
	fuzzParse(f, incident.FormatSentryEvent, []string{
		`{"exception":{"values":[{"type":"E","value":"v","stacktrace":{"frames":[{"lineno":1,"in_app":true}]}}]}}`,
		`[2,"insert",{"data":{"threads":[{"crashed":true,"stacktrace":{"frames":[{}]}}]}},{}]`,
		`{"sentry.interfaces.Exception":{"type":"E"},"logentry":{"formatted":"m"},"timestamp":1.5}`,
		`{"platform":"elixir","exception":[{"type":"E","module":null}],"stacktrace":{"frames":[{"filename":"lib/a.ex","in_app":false}]}}`,
	}, "sentry-events")
}

func FuzzParseSentryWebhook(f *testing.F) {
	fuzzParse(f, incident.FormatSentryWebhook, []string{
		`{"action":"triggered","data":{"event":{"issue_id":"1","web_url":"https://x/issues/1/events/2/"}}}`,
		`{"action":"created","data":{"issue":{"id":"1","count":"3","assignedTo":{"type":"team","id":2}}}}`,
		`{"action":"resolved","data":{"issue":{"id":"1","platform":"javascript","culprit":"f(a.js)","metadata":{"type":"E","filename":"a.js","function":"f"}}}}`,
		`{"id":"1","project":"p","url":"https://x/issues/1/?referrer=webhooks_plugin","event":{"exception":{"values":[{"type":"E"}]}}}`,
	}, "sentry-webhooks")
}

func FuzzParseSentryAPI(f *testing.F) {
	fuzzParse(f, incident.FormatSentryAPI, []string{
		`{"eventID":"e","tags":[{"key":"level","value":"error"}],"entries":[{"type":"exception","data":{"values":[{"stacktrace":{"frames":[{"lineNo":3,"inApp":true}]}}]}}]}`,
		`{"id":"1","shortId":"P-1","firstSeen":"2020-01-01T00:00:00Z"}`,
	}, "sentry-api")
}

func FuzzParseDispatch(f *testing.F) {
	fuzzParse(f, incident.FormatDispatch, []string{
		`{"action":"a","client_payload":{"sentry_issue_id":"PROJ-1A"}}`,
		`{"action":"a","client_payload":{"event":{"message":"m"}}}`,
		`{"action":"a","client_payload":{"webhook":{"action":"x","data":{"issue":{"id":"2"}}}}}`,
	}, "github")
}

func FuzzParseTrace(f *testing.F) {
	fuzzParse(f, incident.FormatTrace, []string{
		"panic: x [recovered]\n\tpanic: y\n\ngoroutine 1 [running]:\nmain.f(...)\n\t/a.go:1 +0x1\ncreated by main.g in goroutine 2\n\t/a.go:2\n",
		"WARNING: DATA RACE\nRead at 0x1 by goroutine 2:\n  main.f()\n      /a.go:1 +0x1\n",
		"Traceback (most recent call last):\n  File \"a.py\", line 1, in f\nE: m\n",
		"[2]</a@http://x/a.js:1:2\n", "[ERROR] java.lang.Error: e\n[ERROR] \tat a.B.c(B.java:1)\n",
		"    leaks.go:78: found unexpected goroutines:\n        goroutine 19 [chan send]:\n        main.f()\n                /a.go:6 +0x25\n",
	}, "stacktraces")
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"password=hunter2 ghp_1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvWxYz12 a@b.co 10.0.0.1 [::1]:80",
		"-----BEGIN PRIVATE KEY-----\nabc", "Cookie: session=1", "https://e9ebbd88548a441288393c457ec90441@o1.ingest.sentry.io/1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := incident.Redact(s)
		if twice := incident.Redact(once); twice != once {
			t.Fatalf("Redact is not idempotent:\n in: %q\nonce: %q\ntwice: %q", s, once, twice)
		}
	})
}

func FuzzParseAuto(f *testing.F) {
	fuzzParse(f, incident.FormatAuto, []string{
		"[2]</a@http://x/a.js:1:2\n", `[2,"insert",{"data":{}},{}]`, "[ERROR] x\n", "{}",
	}, "stacktraces/node", "sentry-webhooks")
}
