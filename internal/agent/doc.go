// Package agent asks a model for a diagnosis and a fix. It renders the
// prompts (embedded under prompts/), quotes event text as data inside
// random fences, validates every answer itself whatever the server did,
// and meters every call against the run's budgets.
package agent
