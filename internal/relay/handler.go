package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"regexp"
	"time"
)

// MaxBody caps a webhook body: 1 MiB.
const MaxBody = 1 << 20

// Dispatcher starts the workflow in repo with p. *GitHub implements it.
type Dispatcher interface {
	Dispatch(ctx context.Context, repo string, p Payload) error
}

var _ Dispatcher = (*GitHub)(nil)

// Options configures a Handler. Secret, Repo and Dispatcher are required.
type Options struct {
	// Secret is the Sentry integration's client secret.
	Secret []byte
	// Repo is the default "owner/name" dispatches go to.
	Repo string
	// Config maps projects to repositories and sets the window; the zero
	// value means DefaultConfig.
	Config Config
	// Dispatcher forwards verified webhooks.
	Dispatcher Dispatcher
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ReplayCapacity bounds the replay cache; 0 means DefaultReplayCapacity.
	ReplayCapacity int
}

// Handler serves POST /sentry and GET /healthz. Create it with NewHandler.
type Handler struct {
	secret []byte
	repo   string
	cfg    Config
	out    Dispatcher
	log    *slog.Logger
	now    func() time.Time
	seen   *replayCache
	mux    *http.ServeMux
}

// NewHandler validates o and returns the relay's HTTP handler.
func NewHandler(o Options) (*Handler, error) {
	if len(o.Secret) == 0 {
		return nil, errors.New("new relay: the Sentry client secret is empty")
	}
	if err := ValidateRepo(o.Repo); err != nil {
		return nil, fmt.Errorf("new relay: %w", err)
	}
	if o.Dispatcher == nil {
		return nil, errors.New("new relay: no dispatcher")
	}
	if o.Config.Window == 0 && o.Config.Projects == nil {
		o.Config = DefaultConfig()
	}
	if err := o.Config.Validate(); err != nil {
		return nil, fmt.Errorf("new relay: %w", err)
	}
	h := &Handler{secret: o.Secret, repo: o.Repo, cfg: o.Config, out: o.Dispatcher, log: o.Logger, now: o.Now}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	h.seen = newReplayCache(2*o.Config.Window, o.ReplayCapacity)
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("POST /sentry", h.serveSentry)
	h.mux.HandleFunc("GET /healthz", serveHealth)
	return h, nil
}

// ServeHTTP routes the request; a wrong method gets 405, an unknown path 404.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

func serveHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, "ok\n")
}

// Outcomes logged for each webhook.
const (
	outcomeForwarded = "forwarded"
	outcomeIgnored   = "ignored"
	outcomeDuplicate = "duplicate"
	outcomeRejected  = "rejected"
	outcomeFailed    = "failed"
)

// result is what happened to one webhook: the status, the outcome and the
// reason for the log, and what was forwarded.
type result struct {
	status  int
	outcome string
	reason  string
	repo    string
	payload Payload
}

func reject(status int, reason string) result {
	return result{status: status, outcome: outcomeRejected, reason: reason}
}

func (h *Handler) serveSentry(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	res := h.handle(r)
	body := http.StatusText(res.status)
	if res.status == http.StatusOK {
		body = res.outcome
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if res.status == http.StatusRequestEntityTooLarge {
		w.Header().Set("Connection", "close")
	}
	w.WriteHeader(res.status)
	_, _ = io.WriteString(w, body+"\n")
	h.logResult(r, res, time.Since(start))
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

// handle runs the checks in order and forwards a webhook that passes them.
func (h *Handler) handle(r *http.Request) result {
	if res, ok := checkContentType(r); !ok {
		return res
	}
	body, res, ok := readBody(r)
	if !ok {
		return res
	}
	if err := VerifySignature(h.secret, r.Header, body); err != nil {
		return reject(http.StatusUnauthorized, err.Error())
	}
	if err := CheckTimestamp(r.Header.Get(HeaderTimestamp), h.now(), h.cfg.Window); err != nil {
		return reject(http.StatusUnauthorized, err.Error())
	}
	resource := r.Header.Get(HeaderResource)
	if !KnownResource(resource) {
		return reject(http.StatusBadRequest, fmt.Sprintf("unknown resource %q", clip(resource)))
	}
	id := r.Header.Get(HeaderRequestID)
	if !requestIDPattern.MatchString(id) {
		return reject(http.StatusBadRequest, "missing or invalid Request-ID")
	}
	return h.route(r.Context(), resource, []string{"id:" + id, "sig:" + signatureKey(r.Header)}, body)
}

// checkContentType wants application/json (parameters allowed).
func checkContentType(r *http.Request) (result, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return reject(http.StatusUnsupportedMediaType, "content type is not application/json"), false
	}
	return result{}, true
}

// readBody reads at most MaxBody bytes.
func readBody(r *http.Request) ([]byte, result, bool) {
	if r.ContentLength > MaxBody {
		return nil, reject(http.StatusRequestEntityTooLarge, "body over the cap"), false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, reject(http.StatusBadRequest, "read body failed"), false
	}
	if len(body) > MaxBody {
		return nil, reject(http.StatusRequestEntityTooLarge, "body over the cap"), false
	}
	return body, result{}, true
}

// route parses a verified webhook, drops what is not forwarded, replays
// and a second report of an issue already dispatched inside the window
// (Sentry sends issue.created and the alert rule's event_alert.triggered
// for one new issue), and dispatches the rest.
func (h *Handler) route(ctx context.Context, resource string, keys []string, body []byte) result {
	if !forwardedResource(resource) {
		if !json.Valid(body) {
			return reject(http.StatusBadRequest, "body is not JSON")
		}
		return result{status: http.StatusOK, outcome: outcomeIgnored, reason: "resource not forwarded"}
	}
	p, err := ParseWebhook(resource, body)
	if err != nil {
		return reject(http.StatusBadRequest, err.Error())
	}
	res := result{status: http.StatusOK, payload: p, repo: h.repoFor(p.Project)}
	if closesIssue(p) {
		h.seen.release(issueKey(p)) // a regression after it is news again
	}
	if !h.wants(p) {
		res.outcome, res.reason = outcomeIgnored, "action not forwarded"
		return res
	}
	now := h.now()
	if !h.seen.reserve(now, keys...) {
		res.outcome, res.reason = outcomeDuplicate, "request id or body seen inside the window"
		return res
	}
	if opensIssue(p) {
		if !h.seen.reserve(now, issueKey(p)) {
			res.outcome, res.reason = outcomeDuplicate, "issue already dispatched inside the window"
			return res
		}
		keys = append(keys, issueKey(p))
	}
	if err := h.out.Dispatch(ctx, res.repo, p); err != nil {
		h.seen.release(keys...)
		res.status, res.outcome, res.reason = http.StatusBadGateway, outcomeFailed, err.Error()
		return res
	}
	res.outcome = outcomeForwarded
	return res
}
