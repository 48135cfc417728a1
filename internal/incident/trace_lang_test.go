package incident_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// traceCase is a raw trace and what it must parse to: the language, the
// propagated exception as "Type: message", its frames as
// "function@file:line" outermost first with "!" marking frames not in-app,
// and the chain as "Type: message".
type traceCase struct {
	name   string
	input  string
	lang   string
	exc    string
	frames []string
	chain  []string
}

// summary renders an incident the way traceCase states it.
func summary(inc *incident.Incident) (exc string, frames, chain []string) {
	for _, f := range inc.Frames {
		s := fmt.Sprintf("%s@%s:%d", f.Function, f.File, f.Line)
		if !f.InApp {
			s = "!" + s
		}
		frames = append(frames, s)
	}
	for _, c := range inc.Chain {
		chain = append(chain, c.Type+": "+c.Message)
	}
	return inc.Type + ": " + inc.Message, frames, chain
}

// runTraceCases parses each case with format detection and compares.
func runTraceCases(t *testing.T, tests []traceCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := incident.Parse([]byte(tt.input), incident.FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			if inc.Source != "trace" || string(inc.Language) != tt.lang {
				t.Errorf("source, language = %q, %q; want trace, %q", inc.Source, inc.Language, tt.lang)
			}
			exc, frames, chain := summary(inc)
			if exc != tt.exc {
				t.Errorf("exception = %q, want %q", exc, tt.exc)
			}
			if diff := cmp.Diff(tt.frames, frames); diff != "" {
				t.Errorf("frames (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.chain, chain); diff != "" {
				t.Errorf("chain (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsePythonTrace(t *testing.T) {
	runTraceCases(t, []traceCase{
		{
			name: "direct cause behind log prefixes, multi-line message",
			input: "2024-05-01 12:00:00,123 ERROR [worker] job failed\n" +
				"Traceback (most recent call last):\n" +
				"  File \"/srv/app/jobs.py\", line 10, in run\n    load()\n" +
				"  File \"/usr/lib/python3.12/site-packages/yaml/__init__.py\", line 81, in load\n    raise KeyError('a')\n" +
				"KeyError: 'a'\n\nThe above exception was the direct cause of the following exception:\n\n" +
				"Traceback (most recent call last):\n" +
				"  File \"/srv/app/main.py\", line 3, in <module>\n    main()\n" +
				"  File \"/srv/app/jobs.py\", line 12, in run\n    raise JobError(\"bad\\nconfig\") from e\n" +
				"app.errors.JobError: bad\nconfig\n",
			lang:   "python",
			exc:    "app.errors.JobError: bad\nconfig",
			frames: []string{"<module>@/srv/app/main.py:3", "run@/srv/app/jobs.py:12"},
			chain:  []string{"KeyError: 'a'"},
		},
		{
			name: "exception group with loguru marker and colour codes",
			input: "\x1b[33mTraceback (most recent call last):\x1b[0m\n" +
				"> File \"app.py\", line 9, in <module>\n    \x1b[1mmain\x1b[0m()\n    └ <function main>\n" +
				"  File \"app.py\", line 5, in main\n    raise ExceptionGroup(\"many\", errs)\n" +
				"\x1b[31mExceptionGroup\x1b[0m: many (2 sub-exceptions)\n" +
				"+-+---------------- 1 ----------------\n" +
				"  | Traceback (most recent call last):\n  |   File \"app.py\", line 2, in one\n  |     1/0\n" +
				"  | ZeroDivisionError: division by zero\n" +
				"  +---------------- 2 ----------------\n  | ValueError: two\n  +------------------------------------\n",
			lang:   "python",
			exc:    "ExceptionGroup: many (2 sub-exceptions)",
			frames: []string{"<module>@app.py:9", "main@app.py:5"},
			chain:  []string{"ZeroDivisionError: division by zero"},
		},
		{
			name: "several tracebacks: the last ended the process",
			input: "Traceback (most recent call last):\n  File \"a.py\", line 1, in f\nOSError: retry\n" +
				"2024-05-01 12:00:01 INFO retrying\nTraceback (most recent call last):\n  File \"a.py\", line 2, in g\nOSError: gave up\n",
			lang:   "python",
			exc:    "OSError: gave up",
			frames: []string{"g@a.py:2"},
			chain:  []string{"OSError: retry"},
		},
	})
}

func TestParseJSTrace(t *testing.T) {
	runTraceCases(t, []traceCase{
		{
			name: "node: async, [as method], eval, anonymous, windows path with spaces, node internals",
			input: "Uncaught TypeError: x is not a function\n" +
				"    at Object.get [as value] (C:\\my app\\src\\store.js:12:5)\n" +
				"    at eval (eval at load (C:\\my app\\src\\loader.js:3:9), <anonymous>:1:1)\n" +
				"    at <anonymous>\n" +
				"    at async main (C:\\my app\\src\\index.js:40:3)\n" +
				"    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n" +
				"    at C:\\my app\\node_modules\\esm\\esm.js:1:34535\n",
			lang: "javascript",
			exc:  "TypeError: x is not a function",
			frames: []string{`!@C:\my app\node_modules\esm\esm.js:1`, "!process.processTicksAndRejections@node:internal/process/task_queues:95",
				`main@C:\my app\src\index.js:40`, "!@<anonymous>:0", `eval@C:\my app\src\loader.js:3`, `Object.get@C:\my app\src\store.js:12`},
		},
		{
			name: "node error cause",
			input: "Error: request failed\n    at fetchUser (/srv/app/api.js:10:11) {\n" +
				"  [cause]: Error: connect ECONNREFUSED\n      at connect (/srv/app/db.js:4:9)\n      at fetchUser (/srv/app/api.js:8:5)\n}\n",
			lang:   "javascript",
			exc:    "Error: request failed",
			frames: []string{"fetchUser@/srv/app/api.js:10"},
			chain:  []string{"Error: connect ECONNREFUSED"},
		},
		{
			name: "firefox and safari, URLs with queries",
			input: "render@https://shop.example/static/app.js?v=3:10:5\n" +
				"[native code]\ndispatch@webpack:///./src/store.js:7:1\n@https://shop.example/static/app.js:99:1\n",
			lang:   "javascript",
			exc:    ": ",
			frames: []string{"@static/app.js:99", "dispatch@src/store.js:7", "!@[native code]:0", "render@static/app.js:10"},
		},
	})
}

func TestParseJavaTrace(t *testing.T) {
	runTraceCases(t, []traceCase{
		{
			name: "maven prefixes, thread header, jar suffixes, caused by with elided frames",
			input: "[INFO] Running tests\n" +
				"[ERROR] Exception in thread \"main\" com.shop.OrderException: order 7 failed:\n" +
				"[ERROR] stock is empty\n" +
				"[ERROR] \tat com.shop.Orders.place(Orders.java:40) ~[shop.jar:1.0]\n" +
				"[ERROR] \tat com.shop.Main.main(Main.java:9) [shop.jar:1.0]\n" +
				"[ERROR] Caused by: java.lang.IllegalStateException: empty\n" +
				"[ERROR] \tat com.shop.Stock.take(Stock.java:22)\n" +
				"[ERROR] \tat com.shop.Orders.place(Orders.java:38)\n" +
				"[ERROR] \t... 1 more\n" +
				"[INFO] BUILD FAILURE\n",
			lang:   "java",
			exc:    "com.shop.OrderException: order 7 failed:\nstock is empty",
			frames: []string{"main@Main.java:9", "place@Orders.java:40"},
			chain:  []string{"java.lang.IllegalStateException: empty"},
		},
	})
	inc, err := incident.Parse([]byte("java.lang.RuntimeException: outer\n\tat a.B.c(B.java:1)\n\tat a.B.main(B.java:2)\n"+
		"Caused by: java.io.IOException: inner\n\tat java.io.File.open(File.java:5)\n\tat a.B.c(B.java:0)\n\t... 1 more\n"), incident.FormatTrace)
	if err != nil {
		t.Fatal(err)
	}
	_, frames, _ := summary(&incident.Incident{Frames: inc.Chain[0].Frames})
	if diff := cmp.Diff([]string{"main@B.java:2", "c@B.java:0", "!open@File.java:5"}, frames); diff != "" {
		t.Errorf("cause frames with \"... 1 more\" restored (-want +got):\n%s", diff)
	}
}

func TestParseDotnetRubyPHPTrace(t *testing.T) {
	runTraceCases(t, []traceCase{
		{
			name: ".NET core inner exception on its own line, async state machine",
			input: "Unhandled exception. System.InvalidOperationException: load failed\n" +
				" ---> System.IO.FileNotFoundException: no file\n" +
				"   at Shop.Store.<ReadAsync>d__3.MoveNext() in /src/Store.cs:line 20\n" +
				"--- End of stack trace from previous location ---\n" +
				"   at System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess(Task task)\n" +
				"   --- End of inner exception stack trace ---\n" +
				"   at Shop.Store.Load() in /src/Store.cs:line 31\n" +
				"   at Shop.Program.Main(String[] args) [0x00001] in <filename unknown>:0\n",
			lang:   "csharp",
			exc:    "System.InvalidOperationException: load failed",
			frames: []string{"Main@:0", "Load@/src/Store.cs:31"},
			chain:  []string{"System.IO.FileNotFoundException: no file"},
		},
		{
			name: ".NET: three exceptions chained with --->, a two-line message, error codes, an innermost without a stack",
			input: "Unhandled exception. System.InvalidOperationException: An exception has been raised that is likely due to a transient failure.\n" +
				" ---> Microsoft.EntityFrameworkCore.DbUpdateException: An error occurred while saving the entity changes.\n" +
				" ---> Microsoft.Data.SqlClient.SqlException (0x80131904): Cannot insert duplicate key row in object 'dbo.Carts'.\n" +
				"The statement has been terminated.\n" +
				"   at Microsoft.Data.SqlClient.SqlConnection.OnError(SqlException exception, Boolean breakConnection)\n" +
				"  Exception data:\n" +
				"    HelpLink.ProdName: Microsoft SQL Server\n" +
				"   --- End of inner exception stack trace ---\n" +
				"   at Microsoft.EntityFrameworkCore.Update.ReaderModificationCommandBatch.ExecuteAsync(IRelationalConnection connection)\n" +
				"   --- End of inner exception stack trace ---\n" +
				"   at Shop.Carts.CartStore.SaveAsync(Cart cart) in /src/Shop/Carts/CartStore.cs:line 57\n" +
				"   at Shop.Program.Main() in /src/Shop/Program.cs:line 12\n",
			lang:   "csharp",
			exc:    "System.InvalidOperationException: An exception has been raised that is likely due to a transient failure.",
			frames: []string{"Main@/src/Shop/Program.cs:12", "SaveAsync@/src/Shop/Carts/CartStore.cs:57"},
			chain: []string{
				"Microsoft.Data.SqlClient.SqlException: Cannot insert duplicate key row in object 'dbo.Carts'.\nThe statement has been terminated.",
				"Microsoft.EntityFrameworkCore.DbUpdateException: An error occurred while saving the entity changes.",
			},
		},
		{
			name: ".NET: the innermost exception has no stack, its end marker comes first",
			input: "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n" +
				" ---> System.Security.Authentication.AuthenticationException: Authentication failed, see inner exception.\n" +
				" ---> System.ComponentModel.Win32Exception (0x80090326): The message received was unexpected or badly formatted.\n" +
				"   --- End of inner exception stack trace ---\n" +
				"   at System.Net.Security.SslStream.ForceAuthenticationAsync()\n" +
				"   --- End of inner exception stack trace ---\n" +
				"   at Shop.Client.GetAsync() in /src/Client.cs:line 9\n",
			lang:   "csharp",
			exc:    "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.",
			frames: []string{"GetAsync@/src/Client.cs:9"},
			chain: []string{
				"System.ComponentModel.Win32Exception: The message received was unexpected or badly formatted.",
				"System.Security.Authentication.AuthenticationException: Authentication failed, see inner exception.",
			},
		},
		{
			name: "ruby with a multi-line message and its cause",
			input: "/app/lib/shop.rb:12:in `charge': payment\nrefused (Shop::PaymentError)\n" +
				"\tfrom /app/bin/run:3:in `<main>'\n" +
				"/app/lib/gateway.rb:5:in 'post': timeout (Net::ReadTimeout)\n" +
				"\tfrom /usr/lib/ruby/gems/3.4.0/gems/net-http-0.4/lib/net/http.rb:9:in 'request'\n",
			lang:   "ruby",
			exc:    "Shop::PaymentError: payment\nrefused",
			frames: []string{"<main>@/app/bin/run:3", "charge@/app/lib/shop.rb:12"},
			chain:  []string{"Net::ReadTimeout: timeout"},
		},
		{
			name: "php 7 uncaught with previous exception",
			input: "PHP Fatal error:  Uncaught InvalidArgumentException: bad id in /app/src/Repo.php:14\n" +
				"Stack trace:\n#0 /app/src/Controller.php(30): App\\Repo->find('x')\n#1 {main}\n\n" +
				"Next RuntimeException: lookup failed in /app/src/Controller.php:33\n" +
				"Stack trace:\n#0 /app/public/index.php(7): App\\Controller->show()\n" +
				"#1 /app/vendor/slim/App.php(80): {closure}()\n#2 {main}\n  thrown in /app/src/Controller.php on line 33\n",
			lang:   "php",
			exc:    "RuntimeException: lookup failed",
			frames: []string{"!@/app/vendor/slim/App.php:80", "{closure}@/app/public/index.php:7", "show@/app/src/Controller.php:33"},
			chain:  []string{"InvalidArgumentException: bad id"},
		},
		{
			name: "php 5 exception string followed by other log lines",
			input: "exception 'LogicException' with message 'no cart' in /app/cart.php:9\nStack trace:\n" +
				"#0 /app/index.php(4): Cart::load()\n#1 {main}\nnext request served\n",
			lang:   "php",
			exc:    "LogicException: no cart",
			frames: []string{"@/app/index.php:4", "load@/app/cart.php:9"},
		},
	})
}

func TestParseTraceErrors(t *testing.T) {
	tests := []struct {
		name, input string
		line        int
		want        string
	}{
		{"python traceback cut short", "Traceback (most recent call last):\n  File \"a.py\", line 1, in f\n", 1, "traceback ends before its exception line"},
		{"python junk before the first frame", "Traceback (most recent call last):\n    oops\n", 2, `unrecognised trace line "oops"`},
		{"php junk in the stack", "exception 'E' with message 'm' in /a.php:1\nStack trace:\n#0 /a.php(2): f()\nwhat\n", 4, `unrecognised trace line "what"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := incident.Parse([]byte(tt.input), incident.FormatTrace)
			var te *incident.TraceError
			if !errors.As(err, &te) || te.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want a *TraceError on line %d saying %q, got %v", tt.line, tt.want, err)
			}
		})
	}
}
