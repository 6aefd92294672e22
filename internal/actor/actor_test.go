package actor

import (
	"context"
	"testing"
)

func TestScopeAndPerms(t *testing.T) {
	a := &Actor{OrgPath: "/1/4/", Perms: map[string]bool{"user.read": true}, Roles: []string{"agent"}}
	cases := []struct {
		path string
		want bool
	}{{"/1/4/", true}, {"/1/4/9/", true}, {"/1/", false}, {"/1/40/", false}}
	for _, c := range cases {
		if got := a.InScope(c.path); got != c.want {
			t.Errorf("InScope(%q) = %v, want %v", c.path, got, c.want)
		}
	}
	if !a.Can("user.read") || a.Can("user.manage") || !a.HasRole("agent") || a.HasRole("auditor") {
		t.Error("Can/HasRole wrong")
	}
	var none *Actor
	if none.Can("x") || none.InScope("/") {
		t.Error("nil actor must be denied")
	}
	ctx := NewContext(context.Background(), a)
	if FromContext(ctx) != a || FromContext(context.Background()) != nil {
		t.Error("context round trip failed")
	}
}
