package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"opsdesk/internal/app"
)

func (e *env) migrateCmd() *cobra.Command {
	c := &cobra.Command{Use: "migrate", Short: "Apply or list database migrations (serve applies them too)"}
	open := func(cmd *cobra.Command) (*app.App, error) {
		cfg, err := e.config(cmd)
		if err != nil {
			return nil, err
		}
		return app.OpenStore(cmd.Context(), cfg, e.logger(cfg))
	}
	c.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Apply every pending migration",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := open(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			applied, err := a.DB.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintln(e.stdout, "database is up to date")
			}
			for _, m := range applied {
				fmt.Fprintln(e.stdout, "applied", m)
			}
			return nil
		},
	}, &cobra.Command{
		Use:   "status",
		Short: "List migrations and whether they are applied",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := open(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			st, err := a.DB.MigrationStatus(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "MIGRATION\tTITLE\tSTATUS")
			for _, m := range st {
				state := "pending"
				if m.Applied {
					state = "applied " + m.AppliedAt.UTC().Format("2006-01-02 15:04:05")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", m.Name, m.Title, state)
			}
			return tw.Flush()
		},
	})
	return c
}
