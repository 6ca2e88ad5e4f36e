package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/coopgraph/coopgraph/internal/auth"
	"github.com/coopgraph/coopgraph/internal/coop"
	"github.com/coopgraph/coopgraph/internal/neo4jstore"
)

const keysUsage = `usage:
  coopgraph keys create -name NAME -role reader|editor|admin   print a new API key (shown once)
  coopgraph keys list                                          list keys (never the keys themselves)
  coopgraph keys revoke ID|NAME                                revoke a key; it stops working at once
`

// keysCommand manages API keys straight in Neo4j: how the first admin key
// is made, before anyone can call the API's key mutations.
func keysCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, keysUsage)
		return errors.New("keys: no subcommand given")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stderr, keysUsage)
		return flag.ErrHelp
	case "create", "list", "revoke":
	default:
		fmt.Fprint(stderr, keysUsage)
		return fmt.Errorf("keys: unknown subcommand %q", args[0])
	}
	fs, c := newCommand("keys "+args[0], getenv, stderr)
	name := fs.String("name", "", "who holds the key: the audit trail names them key:NAME")
	role := fs.String("role", "", "reader, editor or admin")
	if err := parseFlags(fs, getenv, args[1:]); err != nil {
		return err
	}
	operator := coop.Principal{Name: envOr(getenv, "USER", "operator"), Role: coop.RoleAdmin, Via: "cli"}
	open := func() (*neo4jstore.Store, error) {
		store, _, err := c.open(ctx, stderr)
		if err != nil {
			return nil, err
		}
		if err := store.ApplySchema(ctx); err != nil {
			store.Close(context.WithoutCancel(ctx))
			return nil, err
		}
		return store, nil
	}
	switch args[0] {
	case "create":
		if *name == "" || *role == "" || fs.NArg() > 0 {
			fmt.Fprint(stderr, keysUsage)
			return errors.New("keys create needs -name and -role")
		}
		store, err := open()
		if err != nil {
			return err
		}
		defer store.Close(context.WithoutCancel(ctx))
		key, k, err := auth.IssueKey(ctx, store, *name, coop.Role(*role), operator)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "created key %s for %q with role %s; it is shown once, below: store it now\n", k.ID, k.Name, k.Role)
		fmt.Fprintln(stdout, key)
		return nil
	case "list":
		store, err := open()
		if err != nil {
			return err
		}
		defer store.Close(context.WithoutCancel(ctx))
		keys, err := store.ListKeys(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tROLE\tCREATED\tBY\tREVOKED")
		for _, k := range keys {
			revoked := "-"
			if k.Revoked() {
				revoked = k.RevokedAt.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Role, k.CreatedAt.Format(time.RFC3339), k.CreatedBy, revoked)
		}
		return tw.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			fmt.Fprint(stderr, keysUsage)
			return errors.New("keys revoke needs one key id or name")
		}
		store, err := open()
		if err != nil {
			return err
		}
		defer store.Close(context.WithoutCancel(ctx))
		k, err := store.RevokeKey(ctx, fs.Arg(0), operator)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked key %s (%s, %s) at %s\n", k.ID, k.Name, k.Role, k.RevokedAt.Format(time.RFC3339))
		return nil
	}
	fmt.Fprint(stderr, keysUsage)
	return fmt.Errorf("keys: unknown subcommand %q", args[0])
}
