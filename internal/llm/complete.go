package llm

import (
	"context"
	"fmt"
	"net/http"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// Complete sends req and returns the first choice. Retries on 429/5xx
// happen inside, honouring Retry-After. When the answer was cut
// (ErrLength) or refused (ErrRefusal), the Response is returned along with
// the error. Every attempt the server answered is added to c.Usage, even
// when Complete fails.
func (c *Client) Complete(ctx context.Context, req Request) (Response, error) {
	params, err := c.params(req)
	if err != nil {
		return Response{}, fmt.Errorf("chat completion: %w", err)
	}
	var attempts int // the SDK runs attempts one after another
	var httpRes *http.Response
	cc, err := c.chat.New(ctx, params,
		option.WithMiddleware(countAnswers(&attempts)),
		option.WithResponseInto(&httpRes))
	u := Usage{Calls: attempts}
	if err == nil && cc != nil {
		u = usageOf(attempts, cc.Usage)
	}
	c.record(u)
	if err != nil {
		return Response{Usage: u}, c.callError(err, httpRes, len(req.Tools) > 0)
	}
	resp, err := responseOf(cc, u)
	if err != nil {
		return resp, fmt.Errorf("chat completion: %w", err)
	}
	return resp, nil
}

// countAnswers counts the attempts that got an HTTP answer.
func countAnswers(n *int) option.Middleware {
	return func(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		res, err := next(req)
		if err == nil && res != nil {
			*n++
		}
		return res, err
	}
}

func usageOf(calls int, cu openai.CompletionUsage) Usage {
	u := Usage{
		Calls:            calls,
		PromptTokens:     int(cu.PromptTokens),
		CompletionTokens: int(cu.CompletionTokens),
		TotalTokens:      int(cu.TotalTokens),
	}
	if u.TotalTokens == 0 {
		u.TotalTokens = u.PromptTokens + u.CompletionTokens
	}
	return u
}

// responseOf converts the first choice; a cut or refused answer is
// returned together with ErrLength or ErrRefusal.
func responseOf(cc *openai.ChatCompletion, u Usage) (Response, error) {
	resp := Response{Usage: u, Model: cc.Model}
	if len(cc.Choices) == 0 {
		return resp, fmt.Errorf("response has no choices")
	}
	ch := cc.Choices[0]
	resp.Content = ch.Message.Content
	resp.FinishReason = ch.FinishReason
	for i, tc := range ch.Message.ToolCalls {
		if tc.Type != "" && tc.Type != "function" {
			return resp, fmt.Errorf("tool call %d: unsupported type %q", i, tc.Type)
		}
		resp.ToolCalls = append(resp.ToolCalls, ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments})
	}
	if r := ch.Message.Refusal; r != "" {
		return resp, fmt.Errorf("%w: %s", ErrRefusal, truncate(r, maxMessage))
	}
	if ch.FinishReason == "length" {
		return resp, ErrLength
	}
	return resp, nil
}
