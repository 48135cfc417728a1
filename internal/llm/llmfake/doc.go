// Package llmfake is a scripted OpenAI-compatible Chat Completions server
// for tests, the demo and the eval.
//
// A Server answers POST /v1/chat/completions (and /chat/completions) from a
// queue of Turns in order: JSON answers, tool calls, refusals, cut answers,
// errors with Retry-After, and raw malformed bodies. Answers use the real
// wire format, so the real openai-go client can be pointed at it through
// httptest:
//
//	fake := llmfake.New(llmfake.Turn{Content: "hello"})
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	// base URL: srv.URL + "/v1"
//
// When the queue is empty the server answers 500 with a message saying the
// script ran out, so a test that makes one call too many fails loudly.
//
// Token usage: a turn without prompt_tokens reports len(request body)/4
// (at least 1) and a turn without completion_tokens reports the length of
// its content, refusal and tool calls divided by 4 (at least 1), so totals
// are never zero by accident. Set omit_usage to leave usage out entirely.
//
// Transcripts are JSON files {"description": "...", "turns": [Turn...]}
// read by LoadTranscript.
package llmfake
