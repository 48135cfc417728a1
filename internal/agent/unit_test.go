package agent

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ask"
	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

func TestFixerSettings(t *testing.T) {
	tests := []struct {
		name string
		f    Fixer
		want string
	}{
		{"unknown mode", Fixer{Tools: "sometimes"}, `tools "sometimes": want auto, on or off`},
		{"tools on without a workspace", Fixer{Tools: ToolsOn}, "tools on needs a workspace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.f.Fix(context.Background(), fixInput())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
}

func TestFixWallTimeIsABudget(t *testing.T) {
	for _, mode := range []ToolMode{ToolsOff, ToolsOn} {
		t.Run(string(mode), func(t *testing.T) {
			c, fake := scripted(t, demoTurns(t, "model.json")[0])
			ctx, cancel := context.WithDeadline(context.Background(), time.Unix(1, 0))
			defer cancel()
			f := Fixer{Model: &ask.Metered{Inner: c, Budget: budget(5, 100000)}, Tools: mode, Workspace: shopRepo(t)}
			if _, err := f.Fix(ctx, fixInput()); !errors.Is(err, ask.ErrBudget) {
				t.Fatalf("err = %v, want ErrBudget", err)
			}
			if fake.Calls() != 0 {
				t.Errorf("the server was called %d times after the deadline", fake.Calls())
			}
		})
	}
}

func TestPackedDropsTheLeastUsefulFirst(t *testing.T) {
	big := strings.Repeat("x := 1 // filler\n", 300)
	data := fixData{Type: "panic", Message: "boom", Crash: workspace.Snippet{File: "a.go", Text: "crash()"},
		Caller:  &workspace.Snippet{File: "b.go", Text: "caller()"},
		History: []historyBlock{{File: "a.go", Text: "commit 1 " + big}},
		Tests:   []TestFile{{File: "a_test.go", Text: big}, {File: "b_test.go", Text: big}}}
	data.Fence = fixedFence(t)
	base, err := (&Fixer{}).messages(fixData{Fence: data.Fence, Type: "panic", Message: "boom", Crash: data.Crash})
	if err != nil {
		t.Fatal(err)
	}
	floor := ask.CountTokens(llm.Request{Messages: base})
	tests := []struct {
		name  string
		limit int
		want  []string
		gone  []string
	}{
		{"everything fits", 100000, []string{"a_test.go", "b_test.go", "commit 1", "caller()"}, nil},
		{"tests go first", floor + 5000, []string{"a_test.go", "commit 1", "caller()"}, []string{"b_test.go"}},
		{"then history", floor + 200, []string{"caller()"}, []string{"a_test.go", "commit 1"}},
		{"the crash always stays", 10, []string{"crash()", "boom"}, []string{"caller()"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, err := (&Fixer{ContextTokens: tt.limit}).packed(data)
			if err != nil {
				t.Fatal(err)
			}
			user := msgs[1].Content
			if m := missing(user, tt.want...); m != nil {
				t.Errorf("the prompt lacks %q", m)
			}
			for _, g := range tt.gone {
				if strings.Contains(user, g) {
					t.Errorf("the prompt still holds %q", g)
				}
			}
		})
	}
}

func TestRenderToolResult(t *testing.T) {
	const fence = "~~~~abababababab"
	s := &session{fence: fixedFence(t)}
	got := s.render(result{Header: "x.go lines 1-2 of 2", Data: "a\n" + fence + "\nb\n"})
	want := "x.go lines 1-2 of 2 (untrusted data):\n" + fence + " data\na\n~~~~(fence removed)\nb\n" + fence
	if got != want {
		t.Errorf("render =\n%s\nwant\n%s", got, want)
	}
	long := s.render(result{Header: "h", Data: strings.Repeat("line of data\n", 2000)})
	if len(long) > maxResultBytes+200 || !strings.HasSuffix(long, fmt.Sprintf("[cut: %d more bytes not shown; ask for less]", 2000*13-maxResultBytes/13*13)) {
		t.Errorf("a long result is %d bytes, ending %q", len(long), long[len(long)-80:])
	}
}

func TestReadFileToolSaysWhatWasCut(t *testing.T) {
	ws := shopRepo(t)
	write(t, ws.Root(), map[string]string{"long.txt": strings.Repeat("line\n", 300)})
	tests := []struct {
		args, header, note string
	}{
		{`{"path": "long.txt"}`, "long.txt lines 1-200 of 300", "[cut: lines 201-300 not shown; call read_file with start=201]"},
		{`{"path": "long.txt", "start": 250}`, "long.txt lines 250-300 of 300", ""},
		{`{"path": "long.txt", "start": 10, "end": 20}`, "long.txt lines 10-20 of 300", ""},
		{`{"path": "nope.go"}`, "error: read nope.go: stat nope.go: no such file or directory", ""},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			r, err := readFileTool.run(context.Background(), ws, []byte(tt.args))
			if err != nil {
				t.Fatal(err)
			}
			if r.Header != tt.header || strings.Join(r.Notes, "") != tt.note {
				t.Errorf("header %q, notes %q; want %q, %q", r.Header, r.Notes, tt.header, tt.note)
			}
		})
	}
	for _, bad := range []string{`{"path": 1}`, `{"file": "a.go"}`, `{}`, `[]`, `{"path": "a"} {}`} {
		if _, err := readFileTool.run(context.Background(), ws, []byte(bad)); err == nil {
			t.Errorf("arguments %s were not malformed", bad)
		}
	}
}

func TestToolDeclarations(t *testing.T) {
	for _, d := range toolDecls() {
		props, _ := d.Parameters["properties"].(map[string]any)
		req, _ := d.Parameters["required"].([]string)
		if d.Parameters["type"] != "object" || props == nil || d.Description == "" {
			t.Errorf("%s: bad declaration %v", d.Name, d.Parameters)
		}
		for _, r := range req {
			if props[r] == nil {
				t.Errorf("%s: required %q is not a property", d.Name, r)
			}
		}
	}
}

func TestCallKeyAndUnwrap(t *testing.T) {
	a, _ := callKey(llm.ToolCall{Name: "read_file", Arguments: `{"path":"a","start":1}`})
	b, _ := callKey(llm.ToolCall{Name: "read_file", Arguments: ` { "start": 1, "path": "a" } `})
	c, _ := callKey(llm.ToolCall{Name: "read_file", Arguments: `{"path":"a","start":2}`})
	if a != b || a == c {
		t.Errorf("keys %q %q %q: want the first two equal, the third different", a, b, c)
	}
	tests := []struct{ in, want string }{
		{"```json\n{\"a\":1}\n```", "{\"a\":1}\n"},
		{"{\"a\":1}", "{\"a\":1}"},
		{"```", "```"},
	}
	for _, tt := range tests {
		if got := unwrapJSON(tt.in); got != tt.want {
			t.Errorf("unwrapJSON(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkCountTokens(b *testing.B) {
	f := Fixer{}
	msgs, err := fenced(&f, f.fixData(fixInput(), true))
	if err != nil {
		b.Fatal(err)
	}
	req := llm.Request{Messages: msgs, Tools: toolDecls()}
	n := 0
	for b.Loop() {
		n = ask.CountTokens(req)
	}
	b.ReportMetric(float64(n), "tokens/request")
}

// TestDemoAnswerEndsTheToolLoop: a server that answers the fix JSON at
// once (as the demo transcripts do) ends the tool loop in one call.
func TestDemoAnswerEndsTheToolLoop(t *testing.T) {
	c, fake := scripted(t, demoTurns(t, "model.json")[0])
	f := Fixer{Model: &ask.Metered{Inner: c, Budget: budget(5, 100000)}, Workspace: shopRepo(t)}
	a, err := f.Fix(context.Background(), fixInput())
	if err != nil {
		t.Fatal(err)
	}
	reqs := decodeRequests(t, fake.Requests())
	if len(reqs) != 1 || len(reqs[0].Tools) == 0 || a.RegressionTest.Name != "TestDiscountUnknownCode" {
		t.Errorf("%d requests (tools %v), answer %+v; want one tool request and the demo's answer", len(reqs), reqs[0].toolNames(), a.RegressionTest)
	}
}
