package cli

import (
	"crypto/rand"
	"fmt"
	"math/big"

	"github.com/spf13/cobra"

	"opsdesk/internal/iam"
)

func (e *env) userCmd() *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Manage accounts on the server (audited as source cli)"}
	var n iam.NewUser
	var org int64
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an account; prints the initial password when none is given",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := e.openDB(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			ctx := operator(cmd.Context())
			if org == 0 {
				root, err := a.IAM.EnsureRoot(ctx, "总部")
				if err != nil {
					return err
				}
				org = root.ID
			}
			n.OrgUnitID = org
			generated := n.Password == ""
			if generated {
				n.Password = randomPassword()
			}
			u, err := a.IAM.CreateUser(ctx, n)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "created user %s (id %d, roles %v)\n", u.Username, u.ID, u.Roles)
			if generated {
				fmt.Fprintf(e.stdout, "initial password: %s (must be changed at first login)\n", n.Password)
			}
			return nil
		},
	}
	f := create.Flags()
	f.StringVar(&n.Username, "username", "", "login name (lower-case letters, digits, . _ -)")
	f.StringVar(&n.Name, "name", "", "full name, e.g. 张三")
	f.StringVar(&n.Phone, "phone", "", "phone")
	f.StringVar(&n.Email, "email", "", "e-mail")
	f.StringVar(&n.Post, "post", "", "post (岗位)")
	f.Int64Var(&org, "org", 0, "organisation unit id (default: the root)")
	f.StringSliceVar(&n.Roles, "role", nil, "role code, repeatable: sysadmin secadmin auditor agent engineer manager requester vendor")
	f.StringVar(&n.Password, "password", "", "initial password (default: generated and printed)")

	disable := e.userAction("disable", "Disable an account: ends its sessions and revokes its API tokens at once",
		func(cmd *cobra.Command, s *iam.Service, u *iam.User) (string, error) {
			return "disabled " + u.Username, s.SetDisabled(operator(cmd.Context()), u.ID, true)
		})
	enable := e.userAction("enable", "Enable a disabled account",
		func(cmd *cobra.Command, s *iam.Service, u *iam.User) (string, error) {
			return "enabled " + u.Username, s.SetDisabled(operator(cmd.Context()), u.ID, false)
		})
	var pw string
	reset := e.userAction("reset-password", "Set a temporary password (printed when generated) and lift a lock-out",
		func(cmd *cobra.Command, s *iam.Service, u *iam.User) (string, error) {
			p := pw
			if p == "" {
				p = randomPassword()
			}
			if err := s.ResetPassword(operator(cmd.Context()), u.ID, p); err != nil {
				return "", err
			}
			msg := "password of " + u.Username + " reset; it must be changed at next login"
			if pw == "" {
				msg += "\ntemporary password: " + p
			}
			return msg, nil
		})
	reset.Flags().StringVar(&pw, "password", "", "temporary password (default: generated and printed)")
	c.AddCommand(create, disable, enable, reset)
	return c
}

// userAction builds a sub-command taking one USERNAME argument.
func (e *env) userAction(use, short string, fn func(*cobra.Command, *iam.Service, *iam.User) (string, error)) *cobra.Command {
	return &cobra.Command{
		Use:   use + " USERNAME",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := e.openDB(cmd)
			if err != nil {
				return err
			}
			defer a.Close()
			u, err := a.IAM.Store.UserByUsername(cmd.Context(), args[0])
			if err != nil {
				return fmt.Errorf("user %q: %w", args[0], err)
			}
			msg, err := fn(cmd, a.IAM, u)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, msg)
			return nil
		},
	}
}

// randomPassword returns a 16-character password with all four character classes.
func randomPassword() string {
	sets := []string{"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "@#%+=!?"}
	all := sets[0] + sets[1] + sets[2] + sets[3]
	pick := func(s string) byte {
		i, _ := rand.Int(rand.Reader, big.NewInt(int64(len(s))))
		return s[i.Int64()]
	}
	b := make([]byte, 0, 16)
	for _, s := range sets {
		b = append(b, pick(s))
	}
	for len(b) < 16 {
		b = append(b, pick(all))
	}
	for i := len(b) - 1; i > 0; i-- {
		j, _ := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		b[i], b[j.Int64()] = b[j.Int64()], b[i]
	}
	return string(b)
}
