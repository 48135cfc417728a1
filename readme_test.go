package main

// Tests that hold the README to the code: the inputs, outputs and reasons
// tables against action.yml, internal/config and internal/pipeline; the
// policy defaults block rendered from config.Default(); the workflow
// snippets users copy. go test -run README -update . rewrites the
// generated block.

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite the README's generated blocks")

const readmePath = "README.md"

func readREADME(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// readmeSection returns the text under the "## title" heading, up to the
// next "## " heading.
func readmeSection(t *testing.T, readme, title string) string {
	t.Helper()
	_, rest, ok := strings.Cut(readme, "\n## "+title+"\n")
	if !ok {
		t.Fatalf("README has no section %q", title)
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// tableRows returns the cells of the first Markdown table in text, header
// and separator left out.
func tableRows(text string) [][]string {
	var rows [][]string
	started := false
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "|") {
			if started {
				break
			}
			continue
		}
		started = true
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, cells)
	}
	if len(rows) < 2 {
		return nil
	}
	return rows[2:]
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// codeNames returns the code spans of a cell: `pr-number`, `pr-url`.
func codeNames(cell string) []string {
	var names []string
	for _, m := range codeSpan.FindAllStringSubmatch(cell, -1) {
		names = append(names, m[1])
	}
	return names
}

func TestREADMEInputsTable(t *testing.T) {
	meta := readActionMetadata(t)
	rows := tableRows(readmeSection(t, readREADME(t), "Inputs"))
	seen := map[string]bool{}
	for _, r := range rows {
		if len(r) != 3 {
			t.Errorf("row %q: want 3 cells", r)
			continue
		}
		names := codeNames(r[0])
		if len(names) != 1 {
			t.Errorf("row %q: want one input name in backticks", r)
			continue
		}
		name, cell := names[0], r[1]
		seen[name] = true
		in, ok := meta.Inputs[name]
		if !ok {
			t.Errorf("README input %s is not in action.yml", name)
			continue
		}
		switch {
		case in.Required:
			if cell != "required" {
				t.Errorf("input %s: README default %q, want \"required\" (action.yml has required: true)", name, cell)
			}
		case in.Default == nil:
			t.Errorf("input %s has neither a default nor required: true in action.yml", name)
		case *in.Default == "":
			if strings.HasPrefix(cell, "`") {
				t.Errorf("input %s: README default %q, but action.yml's is empty; say in words what empty means", name, cell)
			}
		case !strings.HasPrefix(cell, "`"+*in.Default+"`"):
			t.Errorf("input %s: README default %q, want it to start with `%s` (action.yml)", name, cell, *in.Default)
		}
	}
	for name := range meta.Inputs {
		if !seen[name] {
			t.Errorf("action.yml input %s has no row in the README's inputs table", name)
		}
	}
}

func TestREADMEOutputsTable(t *testing.T) {
	meta := readActionMetadata(t)
	var got []string
	for _, r := range tableRows(readmeSection(t, readREADME(t), "Outputs")) {
		got = append(got, codeNames(r[0])...)
	}
	want := slices.Clone(config.OutputNames)
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README outputs (-config.OutputNames +README):\n%s", diff)
	}
	for _, name := range config.OutputNames {
		if _, ok := meta.Outputs[name]; !ok {
			t.Errorf("output %s is not in action.yml", name)
		}
	}
}

func TestREADMEReasonsTable(t *testing.T) {
	rows := tableRows(readmeSection(t, readREADME(t), "Reasons"))
	got := map[pipeline.Reason]pipeline.ReasonInfo{}
	for _, r := range rows {
		names := codeNames(r[0])
		if len(r) != 3 || len(names) != 1 {
			t.Errorf("row %q: want `reason` | meaning | next", r)
			continue
		}
		got[pipeline.Reason(names[0])] = pipeline.ReasonInfo{Words: r[1], Next: r[2]}
	}
	if diff := cmp.Diff(pipeline.Reasons, got); diff != "" {
		t.Errorf("README reasons (-pipeline.Reasons +README):\n%s", diff)
	}
	for _, r := range []pipeline.Reason{pipeline.ReasonQueued, pipeline.ReasonSetupFailed} {
		if _, ok := got[r]; !ok {
			t.Errorf("the README's reasons table lacks %s", r)
		}
	}
}

func TestActionYAMLGitHubTokenNamesItsPermissions(t *testing.T) {
	desc := readActionMetadata(t).Inputs["github-token"].Description
	for _, want := range []string{"contents:write", "pull-requests:write", "issues:write", "App token"} {
		if !strings.Contains(strings.ReplaceAll(desc, ": ", ":"), want) {
			t.Errorf("github-token's description does not mention %s: %q", want, desc)
		}
	}
	if d := readActionMetadata(t).Inputs["model-base-url"].Description; strings.Contains(d, "localhost:") {
		t.Errorf("model-base-url's description suggests a localhost URL, which is the action's own container: %q", d)
	}
}

// actionMetadata is the part of action.yml these tests read.
type actionMetadata struct {
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Required    bool    `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
	} `yaml:"outputs"`
}

func readActionMetadata(t *testing.T) actionMetadata {
	t.Helper()
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var meta actionMetadata
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatalf("parse action.yml: %v", err)
	}
	return meta
}

// fencedBlock is one ``` block of the README.
type fencedBlock struct {
	line int // 1-based line of the opening fence
	lang string
	text string
}

func fencedBlocks(readme string) []fencedBlock {
	var blocks []fencedBlock
	var cur *fencedBlock
	var body []string
	var indent string
	for i, line := range strings.Split(readme, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &fencedBlock{line: i + 1, lang: strings.TrimPrefix(trimmed, "```")}
			indent = line[:len(line)-len(strings.TrimLeft(line, " "))]
			body = nil
		case cur != nil && trimmed == "```":
			cur.text = strings.Join(body, "\n")
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			body = append(body, strings.TrimPrefix(line, indent)) // a block in a list item is indented
		}
	}
	return blocks
}

// wholeWorkflow matches a snippet that is a whole workflow, not a fragment.
var wholeWorkflow = regexp.MustCompile(`(?m)^jobs:`)

// TestREADMEWorkflowSnippets checks every YAML block of the README as
// examples/ is checked: actions pinned by commit, never uses: ./, and a
// whole workflow's permissions and with: block.
func TestREADMEWorkflowSnippets(t *testing.T) {
	inputs := loadActionInputs(t)
	n := 0
	for _, b := range fencedBlocks(readREADME(t)) {
		if b.lang != "yaml" || !strings.Contains(b.text, "uses:") {
			continue
		}
		n++
		t.Run(fmt.Sprintf("line %d", b.line), func(t *testing.T) {
			for _, f := range checkUsesLines(b.text) {
				t.Error(f)
			}
			if !wholeWorkflow.MatchString(b.text) {
				return // a fragment: its uses: lines are all there is to check
			}
			findings, _ := checkUserWorkflow([]byte(b.text), inputs)
			for _, f := range findings {
				t.Error(f)
			}
		})
	}
	if n < 3 {
		t.Errorf("found %d workflow snippets in the README, want the add, dry-run and App token ones", n)
	}
}

const (
	policyDefaultsBegin = "<!-- policy-defaults: begin -->"
	policyDefaultsEnd   = "<!-- policy-defaults: end -->"
	policyExampleBegin  = "<!-- policy-example: begin -->"
	policyExampleEnd    = "<!-- policy-example: end -->"
)

// between returns the YAML block between two markers and where it starts
// and ends in readme.
func between(t *testing.T, readme, begin, end string) (yamlText string, start, stop int) {
	t.Helper()
	i := strings.Index(readme, begin)
	j := strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README lacks %s … %s", begin, end)
	}
	start, stop = i+len(begin), j
	block := strings.TrimSpace(readme[start:stop])
	if !strings.HasPrefix(block, "```yaml\n") || !strings.HasSuffix(block, "\n```") && block != "```yaml\n```" {
		t.Fatalf("between %s and %s: want one ```yaml block, got:\n%s", begin, end, block)
	}
	yamlText = strings.TrimSuffix(strings.TrimPrefix(block, "```yaml\n"), "```")
	return yamlText, start, stop
}

func TestREADMEPolicyDefaults(t *testing.T) {
	want, err := renderPolicy(config.Default())
	if err != nil {
		t.Fatal(err)
	}
	p, err := config.ParsePolicy("rendered", []byte(want))
	if err != nil {
		t.Fatalf("the rendered defaults do not parse: %v\n%s", err, want)
	}
	if diff := cmp.Diff(config.Default(), p, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("the rendered defaults parse to other values (-Default +parsed):\n%s", diff)
	}
	readme := readREADME(t)
	got, start, stop := between(t, readme, policyDefaultsBegin, policyDefaultsEnd)
	if got == want {
		return
	}
	if *update {
		readme = readme[:start] + "\n```yaml\n" + want + "```\n" + readme[stop:]
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the README's policy defaults differ from config.Default(); run go test -run TestREADMEPolicyDefaults -update . (-README +Default):\n%s", cmp.Diff(got, want))
}

func TestREADMEPolicyExample(t *testing.T) {
	text, _, _ := between(t, readREADME(t), policyExampleBegin, policyExampleEnd)
	p, err := config.ParsePolicy("README example", []byte(text))
	if err != nil {
		t.Fatalf("the README's policy example does not parse: %v", err)
	}
	if diff := cmp.Diff(config.DefaultExternal(), p.Triage.External); diff != "" {
		t.Errorf("the example sets triage.external, which replaces the built-in third-party patterns of whoever copies it:\n%s", diff)
	}
	if len(p.Triage.Ignore) == 0 || len(p.Prices) == 0 {
		t.Error("the example should show ignore rules and prices")
	}
}

// policyComments document each policy field in the README's defaults
// block, by dotted YAML path. A field without one fails
// TestREADMEPolicyDefaults, so no field reaches users undocumented.
var policyComments = map[string]string{
	"triage.environments":    "environments acted on",
	"triage.min_level":       "debug, info, warning, error, fatal",
	"triage.min_events":      "events the Sentry issue needs",
	"triage.min_users":       "users it must affect",
	"triage.max_age":         "skip issues first seen longer ago (e.g. 14d); 0 = no limit",
	"triage.ignore":          "errors never acted on (see the example below)",
	"triage.external":        "third-party failures, never acted on; a list of yours replaces these",
	"triage.model_gate":      "one small model call: worth fixing now?",
	"triage.model_threshold": "the confidence the gate needs",
	"dedup.cooldown":         "leave an error class alone after a human closed its PR",
	"dedup.claim_ttl":        "a claim branch without a PR is stale after this",
	"dedup.area_rejections":  "closed-unmerged PRs in one package that make dawnpatch abstain there",
	"dedup.area_window":      "how far back area_rejections looks",
	"fix.protected_paths":    "added to the built-in list (.github/**, Dockerfiles, manifests, …)",
	"fix.allowed_paths":      "when set, the only paths a fix may touch",
	"fix.max_files":          "files a fix may touch",
	"fix.max_changed_lines":  "added plus removed lines",
	"fix.test_command":       "the test-command input wins; empty = detected",
	"fix.test_image":         "the test-image input wins; empty = derived from the repository",
	"fix.setup":              "the setup-command input wins; empty = detected",
	"fix.test_env":           "variables every test run gets, e.g. {MODE: dev}",
	"judge.threshold":        "weighted score a fix needs",
	"judge.max_attempts":     "fixes tried with the judge's feedback",
	"pr.draft":               "open pull requests as drafts",
	"pr.labels":              "added to every pull request",
	"pr.reviewers":           "asked besides the CODEOWNERS owners of the changed files",
	"pr.request_suspect":     "also ask whoever last changed the crash line (git blame)",
	"pr.max_per_day":         "0: the max-prs-per-day input decides",
	"pr.refresh_after":       "e.g. 7d: retry an older untouched PR's error, update on a better fix",
	"prices":                 "US dollars per million tokens, e.g. gpt-4.1: {input: 2.0, output: 8.0}",
}

// commentColumn is where the comments of the defaults block start.
const commentColumn = 31

// renderPolicy writes a policy as YAML with a comment on every field,
// sections in the struct's order; short lists in flow style, long ones as
// blocks.
func renderPolicy(p *config.Policy) (string, error) {
	var b strings.Builder
	v := reflect.ValueOf(*p)
	for i := range v.NumField() {
		key := yamlKey(v.Type().Field(i))
		f := v.Field(i)
		if f.Kind() != reflect.Struct {
			if err := renderField(&b, "", key, f.Interface()); err != nil {
				return "", err
			}
			continue
		}
		b.WriteString(key + ":\n")
		for j := range f.NumField() {
			if err := renderField(&b, key+".", yamlKey(f.Type().Field(j)), f.Field(j).Interface()); err != nil {
				return "", err
			}
		}
	}
	return b.String(), nil
}

func yamlKey(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

// renderField writes one "key: value  # comment" line, or a block list.
func renderField(b *strings.Builder, section, key string, value any) error {
	path := section + key
	comment, ok := policyComments[path]
	if !ok || comment == "" {
		return fmt.Errorf("policy field %s has no comment in policyComments", path)
	}
	indent := ""
	if section != "" {
		indent = "  "
	}
	flow, err := flowYAML(value)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	items, isList := blockItems(value)
	if isList && len(flow) > 40 {
		writeCommented(b, indent+key+":", comment)
		for _, it := range items {
			b.WriteString(indent + "  - " + it + "\n")
		}
		return nil
	}
	writeCommented(b, indent+key+": "+flow, comment)
	return nil
}

func writeCommented(b *strings.Builder, line, comment string) {
	pad := max(1, commentColumn-len([]rune(line)))
	b.WriteString(line + strings.Repeat(" ", pad) + "# " + comment + "\n")
}

// flowYAML renders a value on one line: scalars as YAML writes them,
// lists and maps in flow style.
func flowYAML(value any) (string, error) {
	var n yaml.Node
	if err := n.Encode(value); err != nil {
		return "", err
	}
	setFlow(&n)
	out, err := yaml.Marshal(&n)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}

func setFlow(n *yaml.Node) {
	if n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode {
		n.Style = yaml.FlowStyle
	}
	for _, c := range n.Content {
		setFlow(c)
	}
}

// blockItems renders each element of a list of strings on its own, for a
// block list.
func blockItems(value any) ([]string, bool) {
	list, ok := value.([]string)
	if !ok {
		return nil, false
	}
	items := make([]string, len(list))
	for i, s := range list {
		out, err := yaml.Marshal(s)
		if err != nil {
			return nil, false
		}
		items[i] = strings.TrimSuffix(string(out), "\n")
	}
	return items, true
}
