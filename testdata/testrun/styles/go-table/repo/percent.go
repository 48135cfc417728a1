// Package percent reads percentages.
package percent

// Parse reads "42%" as 42.
func Parse(s string) int {
	n := 0
	for _, c := range s[:len(s)-1] {
		n = n*10 + int(c-'0')
	}
	return n
}
