package incident_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

func TestParseFieldErrors(t *testing.T) {
	tests := []struct {
		name   string
		format incident.Format
		input  string
		want   string
	}{
		{
			name:   "frame line number is a string",
			format: incident.FormatSentryEvent,
			input:  `{"exception":{"values":[{"type":"E","stacktrace":{"frames":[{},{},{},{"lineno":"x"}]}}]}}`,
			want:   `parse sentry-event: event.exception.values[0].stacktrace.frames[3].lineno: want number, got "x"`,
		},
		{
			name:   "legacy interface key in the path",
			format: incident.FormatAuto,
			input:  `{"sentry.interfaces.Exception":{"values":[{"type":7}]}}`,
			want:   `parse sentry-event: event["sentry.interfaces.Exception"].values[0].type: want string, got 7`,
		},
		{
			name:   "frames is an object",
			format: incident.FormatSentryEvent,
			input:  `{"exception":[{"stacktrace":{"frames":{"a":1}}}]}`,
			want:   `parse sentry-event: event.exception[0].stacktrace.frames: want array, got an object`,
		},
		{
			name:   "in_app is a string",
			format: incident.FormatSentryEvent,
			input:  `{"exception":{"values":[{"stacktrace":{"frames":[{"in_app":"yes"}]}}]}}`,
			want:   `parse sentry-event: event.exception.values[0].stacktrace.frames[0].in_app: want boolean, got "yes"`,
		},
		{
			name:   "fractional line number",
			format: incident.FormatSentryEvent,
			input:  `{"exception":{"values":[{"stacktrace":{"frames":[{"lineno":1.5}]}}]}}`,
			want:   `parse sentry-event: event.exception.values[0].stacktrace.frames[0].lineno: want integer, got 1.5`,
		},
		{
			name:   "bad timestamp",
			format: incident.FormatSentryEvent,
			input:  `{"message":"m","timestamp":"yesterday"}`,
			want:   `parse sentry-event: event.timestamp: want RFC 3339 time or seconds since 1970, got "yesterday"`,
		},
		{
			name:   "kafka message that is not an insert",
			format: incident.FormatSentryEvent,
			input:  `[2,"start_delete_groups",{"data":{}},{}]`,
			want:   `parse sentry-event: event[1]: want "insert", got "start_delete_groups"`,
		},
		{
			name:   "thread stack in a kafka message",
			format: incident.FormatAuto,
			input:  `[2,"insert",{"data":{"threads":{"values":[{"crashed":true,"stacktrace":{"frames":[{"colno":false}]}}]}}},{}]`,
			want:   `parse sentry-event: event[2].data.threads.values[0].stacktrace.frames[0].colno: want number, got false`,
		},
		{
			name:   "webhook event frame",
			format: incident.FormatAuto,
			input:  `{"action":"triggered","data":{"event":{"exception":{"values":[{"stacktrace":{"frames":[{"abs_path":["a"]}]}}]}}}}`,
			want:   `parse sentry-webhook: data.event.exception.values[0].stacktrace.frames[0].abs_path: want string, got an array`,
		},
		{
			name:   "webhook without a known resource",
			format: incident.FormatSentryWebhook,
			input:  `{"action":"created","data":{"seer":{}}}`,
			want:   `parse sentry-webhook: data: want one of "event", "error", "issue" or "metric_alert", got keys "seer"`,
		},
		{
			name:   "api event camelCase frame",
			format: incident.FormatSentryAPI,
			input:  `{"eventID":"e","entries":[{"type":"exception","data":{"values":[{"stacktrace":{"frames":[{"lineNo":"12"}]}}]}}]}`,
			want:   `parse sentry-api: entries[0].data.values[0].stacktrace.frames[0].lineNo: want number, got "12"`,
		},
		{
			name:   "api issue count",
			format: incident.FormatSentryAPI,
			input:  `{"id":"1","shortId":"P-1","count":"many"}`,
			want:   `parse sentry-api: count: want integer, got "many"`,
		},
		{
			name:   "api issue without id",
			format: incident.FormatSentryAPI,
			input:  `{"shortId":"P-1"}`,
			want:   `parse sentry-api: id: want the issue id, got null`,
		},
		{
			name:   "dispatch event frame",
			format: incident.FormatDispatch,
			input:  `{"action":"sentry","client_payload":{"event":{"exception":{"values":[{"stacktrace":{"frames":[{"function":1}]}}]}}}}`,
			want:   `parse dispatch: client_payload.event.exception.values[0].stacktrace.frames[0].function: want string, got 1`,
		},
		{
			name:   "event without content",
			format: incident.FormatSentryEvent,
			input:  `{"action":"created","data":{}}`,
			want:   `parse sentry-event: event: want an event with an exception, a message or a stack trace, got none (keys: "action", "data")`,
		},
		{
			name:   "webhook event without content",
			format: incident.FormatAuto,
			input:  `{"action":"triggered","data":{"event":{"level":"error","exception":{"values":null}}}}`,
			want:   `parse sentry-webhook: data.event: want an event with an exception, a message or a stack trace, got none (keys: "exception", "level")`,
		},
		{
			name:   "event is not an object",
			format: incident.FormatSentryEvent,
			input:  `"boom"`,
			want:   `parse sentry-event: event: want object, got "boom"`,
		},
		{
			name:   "invalid JSON names line and column",
			format: incident.FormatSentryEvent,
			input:  "{\n  \"message\": \"a\",\n  \"level\" \"error\"\n}",
			want:   `parse sentry-event: invalid JSON at line 3, column 11: invalid character '"' after object key`,
		},
		{
			name:   "truncated JSON",
			format: incident.FormatAuto,
			input:  `{"message": "a"`,
			want:   `parse: invalid JSON at line 1, column 16: unexpected end of input`,
		},
		{
			name:   "trailing data",
			format: incident.FormatSentryEvent,
			input:  `{"message":"a"} {}`,
			want:   `parse sentry-event: invalid JSON at line 1, column 17: trailing data after the JSON value`,
		},
		{
			name:   "empty input",
			format: incident.FormatSentryEvent,
			input:  " \n",
			want:   `parse sentry-event: invalid JSON at line 1, column 1: empty input`,
		},
		{
			name:   "unknown format",
			format: "xml",
			input:  `{}`,
			want:   `parse: unknown format "xml": want auto, sentry-event, sentry-webhook, sentry-api, dispatch or trace`,
		},
		{
			name:   "unrecognised object",
			format: incident.FormatAuto,
			input:  `{"hello":"world"}`,
			want:   `parse: unrecognised JSON object with keys "hello": want a Sentry event, webhook body, API response or repository_dispatch event with a client_payload`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := incident.Parse([]byte(tt.input), tt.format)
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want error %q", inc, tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestParseErrorTypes(t *testing.T) {
	_, err := incident.Parse([]byte(`{"exception":{"values":[{"stacktrace":{"frames":[{"lineno":"x"}]}}]}}`), incident.FormatAuto)
	var fe *incident.FieldError
	if !errors.As(err, &fe) || fe.Path != "event.exception.values[0].stacktrace.frames[0].lineno" {
		t.Errorf("want a *FieldError naming the lineno, got %#v", err)
	}
	_, err = incident.Parse([]byte("{\n\n  nope"), incident.FormatAuto)
	var se *incident.SyntaxError
	if !errors.As(err, &se) || se.Line != 3 {
		t.Errorf("want a *SyntaxError on line 3, got %#v", err)
	}
	_, err = incident.Parse([]byte(`{"action":"critical","data":{"metric_alert":{}}}`), incident.FormatAuto)
	if !errors.Is(err, incident.ErrNotAnError) || !strings.Contains(err.Error(), "metric alerts carry no stack trace") {
		t.Errorf("metric alert: want ErrNotAnError saying metric alerts carry no stack trace, got %v", err)
	}
	_, err = incident.Parse([]byte("all good\nnothing to see\n"), incident.FormatAuto)
	if !errors.Is(err, incident.ErrUnsupportedTrace) {
		t.Errorf("plain text: want ErrUnsupportedTrace, got %v", err)
	}
	_, err = incident.Parse([]byte("[ERROR] Exception in thread \"main\" java.lang.IllegalStateException\n"), incident.FormatAuto)
	if !errors.Is(err, incident.ErrUnsupportedTrace) {
		t.Errorf("Java header without a stack: want ErrUnsupportedTrace, got %v", err)
	}
	_, err = incident.Parse([]byte("log line\nTraceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    f()\nsome junk: here and there\n"), incident.FormatAuto)
	var te *incident.TraceError
	if !errors.As(err, &te) || te.Line != 5 || !strings.Contains(err.Error(), "parse trace: line 5: unrecognised trace line") {
		t.Errorf("broken traceback: want a *TraceError on line 5, got %v", err)
	}
}

func TestParseEventShapes(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  incident.Incident
	}{
		{
			name:  "message only, logentry wins over message",
			input: `{"platform":"python","logentry":{"formatted":"disk full","message":"disk %s"},"message":"ignored"}`,
			want:  incident.Incident{Source: "sentry-event", Language: "python", Message: "disk full", Frames: []incident.Frame{}},
		},
		{
			name: "threads give the stack when the exception has none",
			input: `{"platform":"node","exception":{"values":[{"type":"Error","value":"x","thread_id":7}]},
				"threads":{"values":[{"id":3,"current":true,"stacktrace":{"frames":[{"filename":"a.js","function":"a"}]}},
				{"id":7,"stacktrace":{"frames":[{"filename":"b.js","function":"b","lineno":2}]}}]}}`,
			want: incident.Incident{Source: "sentry-event", Language: "javascript", Type: "Error", Message: "x", Culprit: "b.js in b",
				Frames: []incident.Frame{{File: "b.js", Function: "b", Line: 2, InApp: true}}},
		},
		{
			name: "in_app heuristics when the event does not say",
			input: `{"platform":"go","exception":[{"type":"E","stacktrace":{"frames":[
				{"abs_path":"/usr/local/go/src/net/http/server.go","module":"net/http","function":"HandlerFunc.ServeHTTP"},
				{"abs_path":"/root/go/pkg/mod/github.com/x/y@v1.0.0/y.go","module":"github.com/x/y","function":"Do"},
				{"filename":"github.com/x/z@v1.2.3/z.go","module":"github.com/x/z","function":"Z"},
				{"abs_path":"/src/app/vendor/github.com/q/q.go","module":"github.com/q","function":"Q"},
				{"abs_path":"/src/app/main.go","module":"main","function":"handle"}]}}]}`,
			want: incident.Incident{Source: "sentry-event", Language: "go", Type: "E", Culprit: "main in handle",
				Frames: []incident.Frame{
					{File: "/usr/local/go/src/net/http/server.go", AbsPath: "/usr/local/go/src/net/http/server.go", Module: "net/http", Function: "HandlerFunc.ServeHTTP"},
					{File: "/root/go/pkg/mod/github.com/x/y@v1.0.0/y.go", AbsPath: "/root/go/pkg/mod/github.com/x/y@v1.0.0/y.go", Module: "github.com/x/y", Function: "Do"},
					{File: "github.com/x/z@v1.2.3/z.go", Module: "github.com/x/z", Function: "Z"},
					{File: "/src/app/vendor/github.com/q/q.go", AbsPath: "/src/app/vendor/github.com/q/q.go", Module: "github.com/q", Function: "Q"},
					{File: "/src/app/main.go", AbsPath: "/src/app/main.go", Module: "main", Function: "handle", InApp: true},
				}},
		},
		{
			name: "in_app heuristics for other languages",
			input: `{"platform":"java","exception":{"values":[{"type":"E","stacktrace":{"frames":[
				{"module":"java.lang.Thread","function":"run"},
				{"filename":"/usr/lib/python3/dist-packages/x.py","function":"f"},
				{"filename":"/app/node_modules/express/index.js","function":"g"},
				{"module":"System.Threading.Tasks.Task","function":"h"},
				{"module":"com.shop.Cart","function":"add","lineno":9}]}}]}}`,
			want: incident.Incident{Source: "sentry-event", Language: "java", Type: "E", Culprit: "com.shop.Cart in add",
				Frames: []incident.Frame{
					{Module: "java.lang.Thread", Function: "run"},
					{File: "/usr/lib/python3/dist-packages/x.py", Function: "f"},
					{File: "/app/node_modules/express/index.js", Function: "g"},
					{Module: "System.Threading.Tasks.Task", Function: "h"},
					{Module: "com.shop.Cart", Function: "add", Line: 9, InApp: true},
				}},
		},
		{
			name:  "nulls everywhere",
			input: `{"platform":null,"message":null,"exception":{"values":[null,{"type":"E","value":null,"stacktrace":{"frames":[null,{"function":null,"lineno":null,"in_app":null}]}}]}}`,
			want:  incident.Incident{Source: "sentry-event", Type: "E", Frames: []incident.Frame{{InApp: true}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := incident.Parse([]byte(tt.input), incident.FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Fingerprint = got.Fingerprint
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("incident (-want +got):\n%s", diff)
			}
		})
	}
}
