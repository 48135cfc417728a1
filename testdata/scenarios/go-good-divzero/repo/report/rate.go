// Package report summarises CI pipeline runs for the team's health
// dashboard.
package report

// percent returns part as a whole percentage of whole, rounded down.
func percent(part, whole int) int {
	return part * 100 / whole
}
