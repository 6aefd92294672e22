package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

func (e *env) auditCmd() *cobra.Command {
	c := &cobra.Command{Use: "audit", Short: "Check the audit log"}
	c.AddCommand(&cobra.Command{
		Use:   "verify",
		Short: "Recompute the hash chain; names the first broken entry and exits 1 if there is one",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := e.openDB(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			n, brk, err := a.Audit.Verify(cmd.Context())
			if err != nil {
				return err
			}
			if brk != nil {
				fmt.Fprintf(e.stdout, "audit chain BROKEN at entry #%d: %s (%d entries read)\n", brk.Seq, brk.Reason, n)
				return errors.New("audit chain broken")
			}
			fmt.Fprintf(e.stdout, "audit chain intact: %d entries verified\n", n)
			return nil
		},
	})
	return c
}
