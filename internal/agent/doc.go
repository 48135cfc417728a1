// Package agent asks a model for a diagnosis and a fix. It renders the
// prompts (embedded under prompts/), quotes event text as data inside
// random fences, and validates every answer itself whatever the server did.
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
// Every call goes through package ask: a tool-free answer and the loop's
// final answer through ask.Ask (one corrective retry), the fences are
// ask.Fence values, and the budget is whatever ask.Model the caller passes
// (the pipeline's ask.Metered). A context deadline, the stage's wall time,
// ends Fix with ask.ErrBudget too.
package agent
