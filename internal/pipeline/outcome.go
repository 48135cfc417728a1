package pipeline

import "fmt"

// Kind is how a run ended, as the action's `outcome` output says it.
type Kind string

// The kinds of outcome.
const (
	// KindPROpened: a draft pull request was opened.
	KindPROpened Kind = "pr-opened"
	// KindPRUpdated: an open dawnpatch pull request got a better fix.
	KindPRUpdated Kind = "pr-updated"
	// KindSkipped: the run decided not to act, for the reason given.
	KindSkipped Kind = "skipped"
	// KindDryRun: a proven fix was found but dry-run kept it off GitHub.
	KindDryRun Kind = "dry-run"
)

// Reason is a stable machine-readable word for why a run ended as it did.
// The set is closed: every value is in Reasons.
type Reason string

// The reasons, in the order of the stages that give them.
const (
	ReasonInvalidInput     Reason = "invalid-input"
	ReasonNoise            Reason = "noise"
	ReasonExternal         Reason = "external"
	ReasonNotProduction    Reason = "not-production"
	ReasonTooRare          Reason = "too-rare"
	ReasonTooOld           Reason = "too-old"
	ReasonIgnoredInSentry  Reason = "ignored-in-sentry"
	ReasonAssignedToHuman  Reason = "assigned-to-human"
	ReasonDuplicatePR      Reason = "duplicate-pr"
	ReasonClaimed          Reason = "claimed"
	ReasonRejectedBefore   Reason = "rejected-before"
	ReasonHumanTicket      Reason = "human-ticket"
	ReasonAlreadyFixed     Reason = "already-fixed"
	ReasonNotWorthFixing   Reason = "not-worth-fixing"
	ReasonNoInAppCode      Reason = "no-in-app-code"
	ReasonNoConfidentCause Reason = "no-confident-cause"
	ReasonNoPatch          Reason = "no-patch"
	ReasonSetupFailed      Reason = "setup-failed"
	ReasonNotReproduced    Reason = "not-reproduced"
	ReasonStillFailing     Reason = "still-failing"
	ReasonRegressions      Reason = "regressions"
	ReasonGuardRejected    Reason = "guard-rejected"
	ReasonJudgeRejected    Reason = "judge-rejected"
	ReasonBudgetExhausted  Reason = "budget-exhausted"
	ReasonRateCapped       Reason = "rate-capped"
	ReasonNotAvailable     Reason = "not-available"
	ReasonQueued           Reason = "queued"
	ReasonPermission       Reason = "permission-denied"
	ReasonProven           Reason = "proven"
	ReasonPROpened         Reason = "pr-opened"
	ReasonPRUpdated        Reason = "pr-updated"
)

// ReasonInfo explains a reason to a person.
type ReasonInfo struct {
	// Words says what happened, in plain words.
	Words string
	// Next says what a human should do next.
	Next string
}

// Reasons is the closed set of reasons with their explanations; the
// README's reasons table is written from it.
var Reasons = map[Reason]ReasonInfo{
	ReasonInvalidInput:     {"The event could not be used: it is malformed or carries no error to fix.", "Check the event source; the detail names what was wrong."},
	ReasonNoise:            {"The error matches an ignore rule or is below the level the policy acts on.", "Nothing, unless the policy's ignore rules or min_level are wrong."},
	ReasonExternal:         {"The error is a failure of a third party (timeout, connection error, an outage), not of this code.", "Nothing to fix here; watch the dependency."},
	ReasonNotProduction:    {"The error came from an environment the policy does not act on.", "Nothing, or add the environment to triage.environments."},
	ReasonTooRare:          {"The error has fired fewer times, or for fewer users, than the policy asks for.", "Nothing for now; it is picked up if it keeps firing."},
	ReasonTooOld:           {"The error was first seen longer ago than the policy's max_age.", "Triage it by hand if it still matters."},
	ReasonIgnoredInSentry:  {"The issue is resolved, ignored or archived in Sentry.", "Nothing; a human already decided."},
	ReasonAssignedToHuman:  {"The Sentry issue is assigned to a person.", "Nothing; the assignee owns it."},
	ReasonDuplicatePR:      {"An open pull request already targets this error class.", "Review that pull request."},
	ReasonClaimed:          {"Another run holds the claim on this error class.", "Nothing; wait for that run's result."},
	ReasonRejectedBefore:   {"A human closed a dawnpatch pull request for this error class recently.", "Nothing; it is left alone for the cooldown."},
	ReasonHumanTicket:      {"A human's issue or pull request already tracks this error.", "Follow that ticket."},
	ReasonAlreadyFixed:     {"The crash line changed on the default branch since the failing release.", "Check that the fix is deployed."},
	ReasonNotWorthFixing:   {"The model judged the error expected behaviour or not fixable here.", "Read its reason; fix by hand if you disagree."},
	ReasonNoInAppCode:      {"No frame of the error maps to code in this repository.", "Check the repository and the frames; the error may belong elsewhere."},
	ReasonNoConfidentCause: {"The diagnosis did not find a cause it could back with evidence.", "Investigate by hand; the summary holds what was looked at."},
	ReasonNoPatch:          {"The model did not produce a valid patch.", "Investigate by hand."},
	ReasonSetupFailed:      {"The repository's dependencies could not be installed where its tests run, so nothing could be proven.", "Read the setup output in the summary; set setup-command or test-image."},
	ReasonNotReproduced:    {"The regression test did not fail on the current code for the reason in the error.", "Nothing was proven; investigate by hand."},
	ReasonStillFailing:     {"The regression test still fails, or fails now and then, with the fix.", "Nothing was proven; investigate by hand."},
	ReasonRegressions:      {"The fix made a test that passed before fail.", "Nothing was opened; investigate by hand."},
	ReasonGuardRejected:    {"The diff broke a rule no fix may break (swallowed error, skipped test, protected path, size).", "Read the findings; investigate by hand."},
	ReasonJudgeRejected:    {"The judge scored the fix below the policy's threshold.", "Read the judge's reasons; investigate by hand."},
	ReasonBudgetExhausted:  {"A model budget (calls, tokens, cost or time) ran out; nothing partial was opened.", "Raise the budget inputs if this error deserves more."},
	ReasonRateCapped:       {"The repository reached its cap of pull requests for today.", "Review the open ones; more come tomorrow."},
	ReasonNotAvailable:     {"dawnpatch cannot work on this input or repository yet (the detail says what is missing).", "Fix it by hand; see the README for what is supported."},
	ReasonQueued:           {"Worth a fix, but this scheduled run worked on more frequent errors first (poll-limit).", "Nothing; a later run picks it up."},
	ReasonPermission:       {"The token lacks a permission dawnpatch needs.", "Grant the permission named in the detail."},
	ReasonProven:           {"A fix was proven and judged, and dry-run kept it off GitHub.", "Read the proposed diff in the summary."},
	ReasonPROpened:         {"A draft pull request with a proven fix was opened.", "Review the pull request."},
	ReasonPRUpdated:        {"The open pull request for this error got a better proven fix.", "Review the update."},
}

// Outcome is how a run ended: a value, never an error.
type Outcome struct {
	Kind   Kind
	Reason Reason
	// Detail says, for this run, what exactly was found. It may hold
	// untrusted text and is printed as data.
	Detail string
}

// Skip returns a skipped outcome with the reason and a formatted detail.
func Skip(r Reason, format string, args ...any) *Outcome {
	return &Outcome{Kind: KindSkipped, Reason: r, Detail: fmt.Sprintf(format, args...)}
}

// Words explains the outcome's reason in plain words.
func (o Outcome) Words() string { return Reasons[o.Reason].Words }

// Next says what a human should do next.
func (o Outcome) Next() string { return Reasons[o.Reason].Next }
