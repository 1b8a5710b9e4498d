package root

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil"
	"github.com/plexkit/plexgo/plextest"
)

// jsonKeys collects the object keys of v at every depth, without
// descending into the objects under skip.
func jsonKeys(v any, skip map[string]bool, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			into[k] = true
			if !skip[k] {
				jsonKeys(sub, skip, into)
			}
		}
	case []any:
		for _, sub := range x {
			jsonKeys(sub, skip, into)
		}
	}
}

// Every field a command prints with --json is listed in its help (and the
// output is exactly one document, or JSON lines for login).
func TestJSONFieldsAreInHelp(t *testing.T) {
	t.Parallel()
	f, fake, out, errOut := newFakeFactory(t, plextest.DefaultPassword+"\n")
	srv := fake.Servers()[0]
	cases := [][]string{
		{"login", "--password-stdin", "-u", plextest.DefaultLogin},
		{"whoami"}, {"status"}, {"servers"}, {"connect", srv.Name},
		{"token"}, {"token", "--transient", "--server", srv.Name},
		{"source-info", "server://" + srv.MachineIdentifier, "--server", srv.MachineIdentifier},
		{"home", "users"}, {"home", "switch", "kid"}, {"devices"}, {"claim"}, {"switch", "default"}, {"version"},
		{"unclaim", "--server", fake.PMSURL, "--yes"}, {"claim", "--server", fake.PMSURL},
		{"devices", "revoke", "--all-others", "--yes"}, {"logout"},
	}
	for _, args := range cases {
		out.Reset()
		if code := f.Run(t.Context(), append(append([]string{}, args...), "--json")); code != cmdutil.ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 1 && args[0] != "login" {
			t.Errorf("%v printed %d lines, want one JSON document", args, len(lines))
		}
		// account is documented once, by whoami (the others say so).
		skip := map[string]bool{"account": args[0] != "whoami", "subscription": true}
		keys := map[string]bool{}
		for _, l := range lines {
			var v any
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Fatalf("%v: not JSON: %v", args, err)
			}
			jsonKeys(v, skip, keys)
		}
		cmd, _, err := NewCmdRoot(f.factory()).Find(args)
		if err != nil {
			t.Fatal(err)
		}
		var missing []string
		for k := range keys {
			if !regexp.MustCompile(`\b` + regexp.QuoteMeta(k) + `\b`).MatchString(cmd.Long) {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("plexauth %s --json prints fields its help does not list: %v", strings.Join(args, " "), missing)
		}
	}
}
