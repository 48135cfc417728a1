// Package agent asks a model for a diagnosis and a fix. It renders the
// prompts (embedded under prompts/), quotes event text as data inside
// random fences, validates every answer itself whatever the server did,
// and meters every call against the run's budgets.
//
// A Fixer works in one of two modes that share the prompts (system.md,
// fix.md) and the validation of the answer (the Answer schema):
//
//   - Tool-free (Fixer.Workspace nil, Tools "off", or a server that answers
//     llm.ErrNoToolSupport in "auto" mode): one structured call over a
//     planned context — the crash function, its caller one frame up (or
//     found by text search when the stack shows none), the recent history
//     of those lines (git log -L) and the nearest tests — packed within
//     Fixer.ContextTokens, with one corrective retry. Without a workspace
//     this is exactly the prompt and the call of the first path.
//   - Tool loop: the model calls read-only tools over the checkout
//     (read_file, search, list_dir, find_symbol, history, tests_for) for at
//     most Fixer.MaxSteps calls. Loop requests declare the tools and no
//     response format; the model ends the loop by answering the fix JSON
//     as plain content (fix.md shows its shape). Prose, a cut or refused
//     answer, or the steps running out lead to one final request that
//     drops the tools, carries the strict response schema and says why
//     (final.md). Tool results are fenced data; any copy of the fence in
//     them is defused. An identical repeated call is refused with a note;
//     a malformed call (unknown tool, arguments not the declared JSON) gets
//     one corrective tool message, and a second one ends the run with
//     ErrNoPatch.
//
// Budgets fail closed: Metered counts a request's tokens before sending it
// (CountTokens, tiktoken-go's cl100k_base loaded offline from
// tiktoken-go-loader) and refuses a call that would pass MaxTokens, then
// charges the usage the server reports, priced per model. A context
// deadline, the stage's wall time, ends Fix with ErrBudget too.
//
// tiktoken.SetBpeLoader is a package-global setter of tiktoken-go; this
// package calls it once, through a sync.Once, before its first count.
package agent
