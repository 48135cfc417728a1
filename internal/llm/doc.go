// Package llm is a thin adapter over the openai-go client for any
// OpenAI-compatible Chat Completions server (OpenAI, Ollama, vLLM, ...).
//
// It speaks messages with the system, user, assistant and tool roles, tool
// declarations and tool calls, and strict structured output (response_format
// json_schema). Retries on 429 and 5xx honour Retry-After; every attempt the
// server answered is counted in Usage, with the token counts it reported.
//
// Failures a caller branches on are typed: *APIError for non-2xx answers,
// and the sentinels ErrLength, ErrRefusal and ErrNoToolSupport. The API key
// never appears in an error. The package holds no domain logic; prompts and
// tool loops live in the agent.
package llm
