package judge

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// strength ranks what kind of check an assertion makes.
type strength int

const (
	// other is no check dawnpatch ranks (the zero value).
	_ strength = iota
	// exact checks compare for equality (or identity).
	exact
	// loose checks accept many values: containment, truthiness, not nil,
	// ordering, an approximate value, no error or no panic.
	loose
)

// canonical is an assertion line with its polarity taken out, so that an
// assertion and its inverse have the same key.
type canonical struct {
	// key is the line with strings blanked, negations removed, tolerance
	// values replaced by # and white space collapsed.
	key string
	// negations counts the negations removed; its parity is the polarity.
	negations int
	// tolerance maps a tolerance (places, delta, rel, ...) to its value.
	tolerance map[string]float64
	strength  strength
}

// negation is one way of writing "not" in an assertion, and what the line
// says without it.
type negation struct {
	re *regexp.Regexp
	to func(m []string) string
}

// negations are removed in order: != before the prefix !.
var negations = []negation{
	{regexp.MustCompile(`!==`), func([]string) string { return "===" }},
	{regexp.MustCompile(`!=`), func([]string) string { return "==" }},
	{regexp.MustCompile(`!\s*([\w(])`), func(m []string) string { return m[1] }},
	{regexp.MustCompile(`\bis\s+not\b`), func([]string) string { return "is" }},
	{regexp.MustCompile(`\bnot\s+in\b`), func([]string) string { return "in" }},
	{regexp.MustCompile(`^(\s*assert)\s+not\b`), func(m []string) string { return m[1] }},
	{regexp.MustCompile(`\.not\b`), func([]string) string { return "" }},
	{regexp.MustCompile(`\bdoesNot(Throw|Reject|Match)\b`), func(m []string) string {
		return map[string]string{"Throw": "throws", "Reject": "rejects", "Match": "match"}[m[1]]
	}},
	{regexp.MustCompile(`\bNoError\b`), func([]string) string { return "Error" }},
	{regexp.MustCompile(`\b((?:self\.)?assert\w*?|(?:assert|require|Assert)\.\w*?)Not`), func(m []string) string { return m[1] }},
	{regexp.MustCompile(`\b((?:assert|require)\.)not([A-Z])`), func(m []string) string { return m[1] + strings.ToLower(m[2]) }},
	{regexp.MustCompile(`\b((?:self\.)?assert\w*?|(?:assert|require|Assert)\.\w*?)False\b`), func(m []string) string { return m[1] + "True" }},
	{regexp.MustCompile(`\btoBeFalsy\b`), func([]string) string { return "toBeTruthy" }},
	{regexp.MustCompile(`\btoBe\(\s*false\s*\)`), func([]string) string { return "toBe(true)" }},
	{regexp.MustCompile(`\.to\.be\.false\b`), func([]string) string { return ".to.be.true" }},
	{regexp.MustCompile(`\bis\s+False\b`), func([]string) string { return "is True" }},
}

var (
	// tolKeyword is a tolerance given by name; tolPositional one given as
	// the last argument of an approximate comparison.
	tolKeyword    = regexp.MustCompile(`\b(places|delta|rel|abs|rel_tol|abs_tol|atol|rtol|epsilon|eps|tol|tolerance)\s*=\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)`)
	tolPositional = regexp.MustCompile(`\b(InDelta\w*|InEpsilon\w*|closeTo|approximately|toBeCloseTo)\s*\((.*),\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\)`)
	looseCheck    = regexp.MustCompile(`\b(assertIn|assertTrue|assertIsNotNone|assertIsInstance|assertGreater\w*|assertLess\w*|` +
		`assertRegex\w*|assertAlmostEqual|assertCountEqual|assertRaises\w*|Contains|Subset|NotEmpty|NotZero|True|Greater\w*|` +
		`Less\w*|Regexp|InDelta\w*|InEpsilon\w*|ElementsMatch|ErrorContains|Panics|toContain\w*|toBeTruthy|toBeDefined|` +
		`toMatch\w*|toBeGreaterThan\w*|toBeLessThan\w*|toBeCloseTo|toHaveProperty|toThrow|include|includes|` +
		`contain|contains|match|ok|exist|closeTo|approximately|approx|throws|isOk|isDefined)\b|\bin\b`)
	exactCheck = regexp.MustCompile(`\b(assert\w*Equals?|assert_equal\w*|assertIs|assertIsNone|Equal\w*|DeepEqual|deepEqual|` +
		`strictEqual|deepStrictEqual|toBe|toEqual|toStrictEqual|toHaveLength|Len|equals?|eql|Diff|Exactly|JSONEq|YAMLEq)\b|==`)
)

// looserWhenSmaller lists the tolerances that are counts of digits.
var looserWhenSmaller = map[string]bool{"places": true, "toBeCloseTo": true}

// canonAssert puts an assertion line of lang in canonical form.
func canonAssert(text string, lang lang.Language) canonical {
	c := canonical{tolerance: map[string]float64{}}
	line := code(text, lang)
	for _, n := range negations {
		line = n.re.ReplaceAllStringFunc(line, func(s string) string {
			c.negations++
			return n.to(n.re.FindStringSubmatch(s))
		})
	}
	line = tolKeyword.ReplaceAllStringFunc(line, func(s string) string {
		m := tolKeyword.FindStringSubmatch(s)
		c.tolerance[m[1]], _ = strconv.ParseFloat(m[2], 64)
		return m[1] + "=#"
	})
	line = tolPositional.ReplaceAllStringFunc(line, func(s string) string {
		m := tolPositional.FindStringSubmatch(s)
		c.tolerance[m[1]], _ = strconv.ParseFloat(m[3], 64)
		return m[1] + "(" + m[2] + ", #)"
	})
	switch {
	case looseCheck.MatchString(line):
		c.strength = loose
	case exactCheck.MatchString(line):
		c.strength = exact
	}
	c.key = strings.Join(strings.FieldsFunc(line, unicode.IsSpace), " ")
	return c
}

// loosened reports whether any tolerance in after accepts more than the
// same tolerance in before.
func loosened(before, after map[string]float64) bool {
	for name, b := range before {
		a, ok := after[name]
		if !ok {
			continue
		}
		if looserWhenSmaller[name] && a < b || !looserWhenSmaller[name] && a > b {
			return true
		}
	}
	return false
}
