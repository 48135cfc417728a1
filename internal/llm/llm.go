package llm

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// DefaultRequestTimeout is the per-attempt timeout used when
// Options.RequestTimeout is zero.
const DefaultRequestTimeout = 2 * time.Minute

// Options configures a Client.
type Options struct {
	// BaseURL is the API root, such as "https://api.openai.com/v1" or
	// "http://localhost:11434/v1", with or without a trailing slash. Required.
	BaseURL string
	// APIKey is sent as a bearer token; empty sends none (local servers).
	APIKey string
	// Model is the default model of every request. Required.
	Model string
	// HTTPClient carries the requests; nil means a new &http.Client{}.
	HTTPClient *http.Client
	// RequestTimeout bounds each attempt; 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxRetries is how many times a request is retried on 408, 409, 429,
	// 5xx and connection errors, honouring Retry-After (a Retry-After over
	// two minutes ends the retries); 0 means no retry.
	MaxRetries int
}

// Usage counts calls and tokens.
type Usage struct {
	// Calls counts HTTP attempts that got an answer from the server.
	Calls int
	// PromptTokens, CompletionTokens and TotalTokens are as reported by
	// the server; TotalTokens falls back to prompt+completion.
	PromptTokens, CompletionTokens, TotalTokens int
}

func (u Usage) add(v Usage) Usage {
	return Usage{
		Calls:            u.Calls + v.Calls,
		PromptTokens:     u.PromptTokens + v.PromptTokens,
		CompletionTokens: u.CompletionTokens + v.CompletionTokens,
		TotalTokens:      u.TotalTokens + v.TotalTokens,
	}
}

// Client completes chat requests against an OpenAI-compatible server and
// keeps running usage totals. It is safe for concurrent use.
type Client struct {
	chat   openai.ChatCompletionService
	model  string
	apiKey string

	mu    sync.Mutex
	total Usage
}

// New validates opts and returns a Client. It does not contact the server
// and, unlike openai.NewClient, reads nothing from the environment.
func New(opts Options) (*Client, error) {
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("llm options: %w", err)
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	timeout := opts.RequestTimeout
	if timeout == 0 {
		timeout = DefaultRequestTimeout
	}
	ro := []option.RequestOption{
		option.WithBaseURL(strings.TrimRight(opts.BaseURL, "/") + "/"),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(opts.MaxRetries),
		option.WithRequestTimeout(timeout),
	}
	if opts.APIKey != "" {
		ro = append(ro, option.WithAPIKey(opts.APIKey))
	}
	return &Client{chat: openai.NewChatCompletionService(ro...), model: opts.Model, apiKey: opts.APIKey}, nil
}

func (o Options) validate() error {
	if strings.TrimSpace(o.BaseURL) == "" {
		return errors.New("BaseURL is required")
	}
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("BaseURL %q: want an absolute http(s) URL", redactURL(o.BaseURL))
	}
	if strings.TrimSpace(o.Model) == "" {
		return errors.New("the Model option is required")
	}
	if o.MaxRetries < 0 {
		return fmt.Errorf("MaxRetries %d: must not be negative", o.MaxRetries)
	}
	if o.RequestTimeout < 0 {
		return fmt.Errorf("RequestTimeout %s: must not be negative", o.RequestTimeout)
	}
	return nil
}

// redactURL hides any user:password part of a URL before it goes into an
// error message.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		return u.Redacted()
	}
	return s
}

// Usage returns the running totals over all calls made by c, including
// calls that failed after the server answered.
func (c *Client) Usage() Usage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

func (c *Client) record(u Usage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total = c.total.add(u)
}
