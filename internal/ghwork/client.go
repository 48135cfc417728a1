package ghwork

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// defaultTimeout bounds each HTTP request of a Client built without an
// *http.Client.
const defaultTimeout = 30 * time.Second

// ErrClaimed means the branch ref already exists: another run (or a person)
// holds the claim.
var ErrClaimed = errors.New("branch already claimed")

// ErrNoBranch means the branch does not exist (GitHub answered 404).
var ErrNoBranch = errors.New("branch does not exist")

// Client talks to one repository through go-github. Create it with New.
type Client struct {
	gh          *github.Client
	owner, name string
	rt          *transport
}

var repoPart = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// New returns a Client for repo ("owner/name") at apiURL
// ("https://api.github.com", "https://ghe.example.com/api/v3", or a fake's
// URL; a trailing slash is optional). A nil httpClient means a client with a
// 30s timeout; a given one is copied, not modified. The token is sent as a
// Bearer credential; an empty token sends none.
func New(httpClient *http.Client, apiURL, token, repo string) (*Client, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || !repoPart.MatchString(owner) || !repoPart.MatchString(name) || name == "." || name == ".." {
		return nil, fmt.Errorf("invalid repository %q: want \"owner/name\"", repo)
	}
	base, err := parseAPIURL(apiURL)
	if err != nil {
		return nil, err
	}
	token = strings.TrimSpace(token)
	if strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, errors.New("invalid token: it contains whitespace or control characters")
	}
	hc := &http.Client{Timeout: defaultTimeout}
	if httpClient != nil {
		copied := *httpClient
		hc = &copied
	}
	rt := &transport{base: hc.Transport, token: token, sleep: sleepCtx}
	if rt.base == nil {
		rt.base = http.DefaultTransport
	}
	hc.Transport = rt
	gh := github.NewClient(hc)
	gh.BaseURL, gh.UploadURL = base, base
	return &Client{gh: gh, owner: owner, name: name, rt: rt}, nil
}

func parseAPIURL(apiURL string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(apiURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		shown := apiURL
		if err == nil {
			shown = u.Redacted()
		}
		return nil, fmt.Errorf("invalid GitHub API URL %q: want an http(s) URL like https://api.github.com", shown)
	}
	if u.User != nil {
		return nil, fmt.Errorf("invalid GitHub API URL %q: credentials belong in the token", u.Redacted())
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	return u, nil
}

// Calls returns how many HTTP requests the client has made, retries included.
func (c *Client) Calls() int { return int(c.rt.calls.Load()) }

func (c *Client) repo() string { return c.owner + "/" + c.name }

// DefaultBranch returns the repository's default branch.
func (c *Client) DefaultBranch(ctx context.Context) (string, error) {
	r, _, err := c.gh.Repositories.Get(ctx, c.owner, c.name)
	if err != nil {
		return "", fmt.Errorf("get repository %s: %w", c.repo(), err)
	}
	if r.GetDefaultBranch() == "" {
		return "", fmt.Errorf("get repository %s: no default branch in the answer", c.repo())
	}
	return r.GetDefaultBranch(), nil
}

// BranchSHA returns the commit branch points at. A missing branch gives an
// error wrapping ErrNoBranch (and the 404, so IsPermission is true too:
// GitHub answers 404 for both).
func (c *Client) BranchSHA(ctx context.Context, branch string) (string, error) {
	if branch == "" {
		return "", errors.New("get branch: empty branch name")
	}
	ref, resp, err := c.gh.Git.GetRef(ctx, c.owner, c.name, "heads/"+branch)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return "", fmt.Errorf("get branch %q: %w: %w", branch, ErrNoBranch, err)
		}
		return "", fmt.Errorf("get branch %q: %w", branch, err)
	}
	if sha := ref.GetObject().GetSHA(); sha != "" {
		return sha, nil
	}
	return "", fmt.Errorf("get branch %q: no sha in the answer", branch)
}

// IsPermission reports whether err comes from a 403 or 404 GitHub answer
// that is not a rate limit: the token may not do this, and the caller
// should degrade rather than fail.
func IsPermission(err error) bool {
	var ge *github.ErrorResponse
	if !errors.As(err, &ge) || ge.Response == nil {
		return false
	}
	switch ge.Response.StatusCode {
	case http.StatusNotFound:
		return true
	case http.StatusForbidden:
		h := ge.Response.Header
		return h.Get("Retry-After") == "" && h.Get("X-RateLimit-Remaining") != "0" &&
			!strings.Contains(strings.ToLower(ge.Message), "rate limit")
	}
	return false
}
