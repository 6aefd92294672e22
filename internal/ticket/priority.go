package ticket

import (
	"fmt"

	"opsdesk/internal/errs"
)

// Level is an urgency (紧急程度) or impact (影响范围) level: 1 is the highest.
type Level int

// Levels run from 1 (high) to 3 (low).
const (
	High   Level = 1
	Medium Level = 2
	Low    Level = 3
)

// Priority is P1 (highest) to P4.
type Priority int

// String renders P1…P4.
func (p Priority) String() string { return fmt.Sprintf("P%d", int(p)) }

// Matrix maps urgency × impact to a priority: Matrix[urgency-1][impact-1].
type Matrix [3][3]Priority

// DefaultMatrix is the usual ITIL-style matrix: high urgency and wide impact is P1.
var DefaultMatrix = Matrix{
	{1, 2, 3}, // urgency high: impact wide, department, one person
	{2, 3, 3},
	{3, 4, 4},
}

// Validate checks every cell is P1–P4 and that priority never improves as urgency or impact fall.
func (m Matrix) Validate() error {
	for u := 0; u < 3; u++ {
		for i := 0; i < 3; i++ {
			p := m[u][i]
			if p < 1 || p > 4 {
				return errs.E(errs.Invalid, "err.ticket.matrix", errs.Field("matrix", "err.out_of_range"))
			}
			if (u > 0 && p < m[u-1][i]) || (i > 0 && p < m[u][i-1]) {
				return errs.E(errs.Invalid, "err.ticket.matrix", errs.Field("matrix", "err.ticket.matrix"))
			}
		}
	}
	return nil
}

// PriorityFor looks up the priority of an urgency and an impact.
func PriorityFor(u, i Level, m Matrix) (Priority, error) {
	if u < High || u > Low || i < High || i > Low {
		return 0, errs.E(errs.Invalid, "err.ticket.level", errs.Field("urgency", "err.out_of_range"))
	}
	return m[u-1][i-1], nil
}
