package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"opsdesk/internal/app"
	"opsdesk/internal/store"
)

func (e *env) backupCmd() *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "Write a consistent online snapshot of the SQLite database (for PostgreSQL it explains pg_dump)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{fmt.Errorf("--out is required")}
			}
			cfg, err := e.config(cmd)
			if err != nil {
				return err
			}
			if cfg.DB.Driver == store.Postgres {
				return usageError{store.ErrBackupPostgres}
			}
			a, err := app.OpenStore(cmd.Context(), cfg, e.logger(cfg))
			if err != nil {
				return err
			}
			defer a.Close()
			if err := a.DB.Backup(cmd.Context(), out); err != nil {
				return err
			}
			st, _ := os.Stat(out)
			fmt.Fprintf(e.stdout, "backup written: %s (%d bytes)\n", out, st.Size())
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "file to write (must not exist)")
	return c
}

func (e *env) restoreCmd() *cobra.Command {
	var in string
	c := &cobra.Command{
		Use:   "restore --in FILE",
		Short: "Replace the SQLite database with a backup (stop the server first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if in == "" {
				return usageError{fmt.Errorf("--in is required")}
			}
			cfg, err := e.config(cmd)
			if err != nil {
				return err
			}
			if cfg.DB.Driver == store.Postgres {
				return usageError{store.ErrBackupPostgres}
			}
			if err := store.Restore(cmd.Context(), in, cfg.SQLitePath()); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "restored %s from %s; run `opsdesk audit verify` to check the audit chain\n", cfg.SQLitePath(), in)
			return nil
		},
	}
	c.Flags().StringVar(&in, "in", "", "backup file written by opsdesk backup")
	return c
}
