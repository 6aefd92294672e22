package ticket

import "fmt"

// FormatNumber renders a ticket number from its type, year and the sequence within both:
// INC-2026-000123. Sequences restart every year for every type.
func FormatNumber(t Type, year int, seq int64) string {
	return fmt.Sprintf("%s-%04d-%06d", t.Prefix(), year, seq)
}
