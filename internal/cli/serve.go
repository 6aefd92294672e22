package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"opsdesk/internal/app"
	"opsdesk/internal/demo"
)

func (e *env) serveCmd() *cobra.Command {
	var withDemo bool
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the opsdesk server (web UI, API, background jobs); migrates the database first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := e.config(cmd)
			if err != nil {
				return err
			}
			if withDemo && cfg.AdminPassword == "" {
				cfg.AdminPassword = demo.Password
			}
			log := e.logger(cfg)
			ctx := cmd.Context()
			a, err := app.Open(ctx, cfg, log)
			if err != nil {
				return err
			}
			defer a.Close()
			if withDemo {
				n, err := demo.Load(ctx, a.IAM)
				if err != nil {
					return fmt.Errorf("demo data: %w", err)
				}
				if n > 0 {
					log.Info("demo data loaded", "users", n, "password", demo.Password)
				}
				nt, err := demo.LoadTickets(ctx, a.IAM, a.Tickets)
				if err != nil {
					return fmt.Errorf("demo tickets: %w", err)
				}
				if nt > 0 {
					log.Info("demo tickets loaded", "tickets", nt)
				}
			}
			return a.Serve(ctx, nil)
		},
	}
	c.Flags().BoolVar(&withDemo, "demo", false, "load a Chinese demo organisation with about 30 users (password "+demo.Password+")")
	return c
}
