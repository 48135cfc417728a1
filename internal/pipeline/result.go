package pipeline

import (
	"time"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// Result is everything a run found out, for the report.
type Result struct {
	Outcome  Outcome
	Incident *incident.Incident
	// Stages lists the stages that ran, in order, with their times.
	Stages []StageTime
	Usage  Usage
	// PR is the pull request opened or updated, or the one that made this
	// run a duplicate.
	PR *PullRequest
	// Fix holds the proposed change and its evidence once a fix was made.
	Fix *FixReport
	// Notes are remarks for the human reading the summary.
	Notes []string
	// Poll is the scheduled run this result sums up, when it was one.
	Poll *PollResult
}

// StageTime is how long one stage took.
type StageTime struct {
	Name     string
	Duration time.Duration
}

// Usage counts what a run spent.
type Usage struct {
	ModelCalls  int
	Tokens      int
	CostUSD     float64
	GitHubCalls int
	SentryCalls int
	TestTime    time.Duration
}

// PullRequest identifies a pull request.
type PullRequest struct {
	Number int
	URL    string
	Branch string
}

// Check is one named piece of evidence: a test run, with its command and
// (tail-capped) output.
type Check struct {
	Name     string
	Command  string
	Passed   bool
	Output   string
	Duration time.Duration
}

// Score is one criterion of the judge's verdict.
type Score struct {
	Criterion string
	Score     float64
	Reason    string
}

// FixReport is the proposed change with its evidence.
type FixReport struct {
	Title         string
	RootCause     string
	WhyNotSymptom string
	CauseFrame    string
	CrashFrame    string
	Evidence      []string
	Diff          string
	TestName      string
	Checks        []Check
	Suite         string
	// Findings are the deterministic guards' findings, "file:line: rule: message".
	Findings     []string
	Scores       []Score
	JudgeTotal   float64
	JudgeSummary string
}
