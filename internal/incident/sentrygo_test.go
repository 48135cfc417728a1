package incident_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// captureTransport is a sentry.Transport (sentry-go v0.50.0) that keeps
// each event as the SDK marshals it for sending, instead of sending it.
type captureTransport struct {
	mu     sync.Mutex
	events [][]byte
	errs   []error
}

var _ sentry.Transport = (*captureTransport)(nil)

// Configure ignores the options: nothing is sent anywhere.
func (c *captureTransport) Configure(sentry.ClientOptions) {}

// SendEvent marshals the event with the SDK's own MarshalJSON.
func (c *captureTransport) SendEvent(e *sentry.Event) {
	b, err := json.Marshal(e)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, b)
	c.errs = append(c.errs, err)
}

// Flush reports that nothing is pending.
func (c *captureTransport) Flush(time.Duration) bool { return true }

// FlushWithContext reports that nothing is pending.
func (c *captureTransport) FlushWithContext(context.Context) bool { return true }

// Close does nothing.
func (c *captureTransport) Close() {}

// take returns the one event captured since the last take.
func (c *captureTransport) take(t *testing.T) []byte {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.events) != 1 {
		t.Fatalf("captured %d events, want 1", len(c.events))
	}
	b, err := c.events[0], c.errs[0]
	c.events, c.errs = nil, nil
	if err != nil {
		t.Fatalf("marshal event: %v", err)
	}
	return b
}

// newHub returns a hub whose client captures events in memory.
func newHub(t *testing.T) (*sentry.Hub, *captureTransport) {
	t.Helper()
	tr := &captureTransport{}
	client, err := sentry.NewClient(sentry.ClientOptions{
		Transport:        tr,
		Environment:      "production",
		Release:          "shop@1.2.3",
		AttachStacktrace: true,
	})
	if err != nil {
		t.Fatalf("new sentry client: %v", err)
	}
	return sentry.NewHub(client, sentry.NewScope()), tr
}

// capturePanic runs f and reports its panic through hub, the way an HTTP
// middleware would.
func capturePanic(hub *sentry.Hub, f func()) {
	defer func() {
		if r := recover(); r != nil {
			hub.RecoverWithContext(context.Background(), r)
		}
	}()
	f()
}

// parseCaptured parses a captured event with format detection.
func parseCaptured(t *testing.T, tr *captureTransport) *incident.Incident {
	t.Helper()
	data := tr.take(t)
	inc, err := incident.Parse(data, incident.FormatAuto)
	if err != nil {
		t.Fatalf("parse sentry-go event: %v\n%s", err, data)
	}
	return inc
}

// thisPackage is the module path of the frames of this test file.
const thisPackage = "github.com/dawnpatch/dawnpatch/internal/incident_test"

// checkCrash asserts the crash frame is fn at line of this file.
func checkCrash(t *testing.T, inc *incident.Incident, fn string, line int) {
	t.Helper()
	crash, ok := inc.CrashFrame()
	if !ok {
		t.Fatalf("no in-app frame in %+v", inc.Frames)
	}
	_, file, _, _ := runtime.Caller(0)
	got := fmt.Sprintf("%s %s %s:%d", crash.Module, crash.Function, crash.File, crash.Line)
	want := fmt.Sprintf("%s %s %s:%d", thisPackage, fn, file, line)
	if got != want {
		t.Errorf("crash frame = %s, want %s", got, want)
	}
}

// loadPort is application code that fails with a wrapped error.
func loadPort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("load port %q: %w", s, err)
	}
	return n, nil
}

func TestSentryGoError(t *testing.T) {
	hub, tr := newHub(t)
	_, err := loadPort("eighty")
	hub.CaptureException(err)
	_, _, line, _ := runtime.Caller(0)
	inc := parseCaptured(t, tr)

	checkCrash(t, inc, "TestSentryGoError", line-1)
	if got, want := inc.Type, "*fmt.wrapError"; got != want {
		t.Errorf("Type = %q, want %q", got, want)
	}
	if got, want := inc.Message, `load port "eighty": strconv.Atoi: parsing "eighty": invalid syntax`; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
	var chain []string
	for _, c := range inc.Chain {
		chain = append(chain, c.Type+": "+c.Message)
	}
	wantChain := []string{"*errors.errorString: invalid syntax", `*strconv.NumError: strconv.Atoi: parsing "eighty": invalid syntax`}
	if diff := cmp.Diff(wantChain, chain); diff != "" {
		t.Errorf("Chain, causes first (-want +got):\n%s", diff)
	}
	if inc.Language != "go" || inc.Environment != "production" || inc.Release != "shop@1.2.3" || inc.Level != "error" {
		t.Errorf("language, environment, release, level = %q, %q, %q, %q", inc.Language, inc.Environment, inc.Release, inc.Level)
	}
	if inc.Sentry == nil || len(inc.Sentry.EventID) != 32 || inc.Timestamp.IsZero() {
		t.Errorf("want the event id and timestamp, got %+v at %v", inc.Sentry, inc.Timestamp)
	}
}

// itemAt is application code that panics with an index out of range; it
// stores the line of the indexing (two below runtime.Caller) in *line.
func itemAt(items []string, i int, line *int) string {
	_, _, l, _ := runtime.Caller(0)
	*line = l + 2
	return items[i]
}

func TestSentryGoPanic(t *testing.T) {
	hub, tr := newHub(t)
	var line int
	capturePanic(hub, func() { itemAt([]string{"a"}, 3, &line) })
	inc := parseCaptured(t, tr)

	checkCrash(t, inc, "itemAt", line)
	if got, want := inc.Type, "runtime.boundsError"; got != want {
		t.Errorf("Type = %q, want %q", got, want)
	}
	if got, want := inc.Message, "runtime error: index out of range [3] with length 1"; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
	if got, want := inc.Level, "fatal"; got != want {
		t.Errorf("Level = %q, want %q", got, want)
	}
	if n := len(inc.Frames); n < 3 || inc.Frames[0].Function != "TestSentryGoPanic" {
		t.Errorf("want the test function outermost, got %+v", inc.Frames)
	}
}

// explode panics with a string: the SDK reports a message event whose stack
// is in threads.
func explode(line *int) {
	_, _, l, _ := runtime.Caller(0)
	*line = l + 2
	panic("inventory exhausted")
}

func TestSentryGoMessagePanicUsesThreads(t *testing.T) {
	hub, tr := newHub(t)
	var line int
	capturePanic(hub, func() { explode(&line) })
	inc := parseCaptured(t, tr)

	checkCrash(t, inc, "explode", line)
	if inc.Type != "" || inc.Message != "inventory exhausted" {
		t.Errorf("Type, Message = %q, %q; want \"\", \"inventory exhausted\"", inc.Type, inc.Message)
	}
}

// stockError is an application error type.
type stockError struct{ sku string }

func (e *stockError) Error() string { return "out of stock: " + e.sku }

// checkout is application code that fails in three ways: the same panic at
// two lines (as after an edit that shifted it) and a panic of another type.
func checkout(orderID int, mode string) {
	switch mode {
	case "early":
		panic(fmt.Errorf("order %d: cart 0x%x has no items", orderID, orderID*7))
	case "stock":
		panic(&stockError{sku: strconv.Itoa(orderID)})
	}
	total := orderID % 3
	_ = total
	panic(fmt.Errorf("order %d: cart 0x%x has no items", orderID, orderID*7))
}

// refund is another function failing with the same message.
func refund(orderID int) {
	panic(fmt.Errorf("order %d: cart 0x%x has no items", orderID, orderID*7))
}

func TestSentryGoFingerprint(t *testing.T) {
	hub, tr := newHub(t)
	event := func(f func()) *incident.Incident {
		capturePanic(hub, f)
		return parseCaptured(t, tr)
	}
	early := event(func() { checkout(1001, "early") })
	late := event(func() { checkout(2002, "late") })
	stock := event(func() { checkout(1001, "stock") })
	other := event(func() { refund(1001) })

	earlyCrash, _ := early.CrashFrame()
	lateCrash, _ := late.CrashFrame()
	if earlyCrash.Function != "checkout" || earlyCrash.Line == lateCrash.Line || early.Message == late.Message {
		t.Fatalf("want the same function at shifted lines with different messages, got %+v %q and %+v %q",
			earlyCrash, early.Message, lateCrash, late.Message)
	}
	if early.Fingerprint != late.Fingerprint {
		t.Errorf("same panic at shifted lines: fingerprints %s and %s differ", early.Fingerprint, late.Fingerprint)
	}
	if stock.Type == early.Type || stock.Fingerprint == early.Fingerprint {
		t.Errorf("another exception type (%s) kept fingerprint %s", stock.Type, stock.Fingerprint)
	}
	if other.Fingerprint == early.Fingerprint {
		t.Errorf("another function kept fingerprint %s", other.Fingerprint)
	}
}
