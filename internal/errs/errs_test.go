package errs

import (
	"errors"
	"testing"
)

func TestKindSurvivesWrapping(t *testing.T) {
	err := func() (err error) {
		defer Wrap(&err, "user.Create(%q)", "zhang")
		return E(Conflict, "err.user.exists", Field("username", "err.taken"))
	}()
	if got := KindOf(err); got != Conflict {
		t.Fatalf("KindOf = %v, want conflict", got)
	}
	msg, fields := Info(err)
	if msg != "err.user.exists" || fields["username"] != "err.taken" {
		t.Fatalf("Info = %q %v", msg, fields)
	}
}

func TestInternalHidesDetail(t *testing.T) {
	err := E(Internal, "secret db detail", errors.New("disk full"))
	if msg, _ := Info(err); msg != "err.internal" {
		t.Fatalf("Info leaked %q", msg)
	}
	if msg, _ := Info(errors.New("plain")); msg != "err.internal" {
		t.Fatalf("plain error gives %q", msg)
	}
	if KindOf(nil) != Internal || Is(nil, Internal) {
		t.Fatal("nil error misclassified")
	}
}
