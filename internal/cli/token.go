package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (e *env) tokenCmd() *cobra.Command {
	c := &cobra.Command{Use: "token", Short: "Issue API tokens on the server"}
	var user, name string
	var days int
	create := &cobra.Command{
		Use:   "create --user NAME",
		Short: "Issue a personal API token for a user and print it (shown once; stored hashed)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if user == "" {
				return usageError{fmt.Errorf("--user is required")}
			}
			a, err := e.openDB(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			u, err := a.IAM.Store.UserByUsername(cmd.Context(), user)
			if err != nil {
				return fmt.Errorf("user %q: %w", user, err)
			}
			plain, _, err := a.IAM.IssueTokenFor(operator(cmd.Context()), u.ID, name, days)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, plain)
			return nil
		},
	}
	create.Flags().StringVar(&user, "user", "", "username")
	create.Flags().StringVar(&name, "name", "cli", "token name")
	create.Flags().IntVar(&days, "days", 90, "days until the token expires")
	c.AddCommand(create)
	return c
}
