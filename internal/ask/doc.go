// Package ask is how dawnpatch calls a model and gets back an answer it can
// use. The fixer (agent), the judge and the triage gate all go through it.
//
// It holds:
//
//   - Model, the one-method interface a caller needs from a model, which
//     *llm.Client implements;
//   - Ask and AskN: send a request, parse the answer with the caller's
//     function, and on an answer that is cut, refused or rejected by the
//     parser send one corrective retry that says what was wrong; a second
//     failure is ErrUnusable;
//   - Fence, the random marker that quotes untrusted text (an error report,
//     a diff, a tool result) as data in a prompt. The code that builds a
//     prompt makes one Fence and passes the value along: nothing ever looks
//     for the fence in the text of a prompt;
//   - the JSON-schema builders of the strict response schemas (Object,
//     Array, Type, Enum) and Decode, which reads an answer strictly;
//   - Budget and Metered, which meter every call of a run against its
//     caps (calls, tokens, US dollars) and fail closed with ErrBudget,
//     counting a request's tokens before it is sent (CountTokens).
//
// Token counting uses tiktoken-go's cl100k_base, loaded offline from
// tiktoken-go-loader. tiktoken.SetBpeLoader is a package-global setter of
// tiktoken-go; this package calls it once, through a sync.Once, before its
// first count.
package ask
