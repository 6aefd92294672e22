package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (e *env) configCmd() *cobra.Command {
	c := &cobra.Command{Use: "config", Short: "Inspect the configuration"}
	c.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration (flags > OPSDESK_* environment > opsdesk.toml > defaults), secrets masked",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := e.config(cmd)
			if err != nil {
				return err
			}
			fmt.Fprint(e.stdout, cfg.Masked())
			return nil
		},
	})
	return c
}
