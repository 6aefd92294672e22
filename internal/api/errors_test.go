package api

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/i18n"
)

// TestFail covers the error adapter without a database: kinds map to statuses, internal detail goes
// to the log only, and a response that has started is not written twice.
func TestFail(t *testing.T) {
	var log bytes.Buffer
	s := &server{d: Deps{I18n: i18n.New(), Log: slog.New(slog.NewTextHandler(&log, nil))}}
	cases := []struct {
		err    error
		lang   string
		status int
		want   string
	}{
		{errors.New("database on fire"), i18n.ZH, 500, `"kind":"internal","message":"内部错误`},
		{errs.E(errs.Invalid, "err.invalid", errs.Field("name", "err.too_long")), i18n.EN, 422, `"fields":{"name":"`},
		{errs.E(errs.NotFound, "err.not_found"), i18n.ZH, 404, `"kind":"not_found"`},
		{errs.E(errs.Conflict, "err.stale"), i18n.ZH, 409, "该记录已被他人修改"},
		{errs.E(errs.Forbidden, "err.forbidden"), i18n.EN, 403, "You are not allowed"},
		{errs.E(errs.Unauthenticated, "err.unauthenticated"), i18n.ZH, 401, `"kind":"unauthenticated"`},
		{errs.E(errs.TooMany, "err.login.locked"), i18n.ZH, 429, `"kind":"too_many"`},
		{badRequest("err.json", "", "", errors.New("unexpected EOF")), i18n.ZH, 400, "请求体不是有效的 JSON"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/api/v1/x", nil)
		r = r.WithContext(actor.NewContext(r.Context(), &actor.Actor{Lang: c.lang}))
		w := httptest.NewRecorder()
		s.fail(w, r, c.err)
		if w.Code != c.status || !strings.Contains(w.Body.String(), c.want) || strings.Contains(w.Body.String(), "fire") {
			t.Errorf("%v: %d %s", c.err, w.Code, w.Body)
		}
		if c.status == 401 && w.Header().Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
	}
	if !strings.Contains(log.String(), "database on fire") {
		t.Errorf("internal error not logged: %s", log.String())
	}

	tw := &trackWriter{ResponseWriter: httptest.NewRecorder()}
	tw.WriteHeader(http.StatusOK)
	tw.Write([]byte("partial export"))
	s.fail(tw, httptest.NewRequest("GET", "/api/v1/audit/export", nil), errors.New("disk full"))
	if got := tw.ResponseWriter.(*httptest.ResponseRecorder).Body.String(); got != "partial export" {
		t.Errorf("started response got more: %q", got)
	}
}

// TestVersionOf covers the forms of If-Match and the version field.
func TestVersionOf(t *testing.T) {
	p := func(s string) *string { return &s }
	n := func(i int) *int { return &i }
	cases := []struct {
		ifMatch *string
		body    *int
		want    int
		status  int // of the requestError, 0 for none
	}{
		{p(`"3"`), nil, 3, 0},
		{p(`W/"3"`), nil, 3, 0},
		{p(`3`), n(3), 3, 0},
		{nil, n(7), 7, 0},
		{p(`"3"`), n(4), 0, 400},
		{p(`*`), nil, 0, 400},
		{p(`"-1"`), nil, 0, 400},
		{nil, nil, 0, 428},
	}
	for _, c := range cases {
		got, err := versionOf(c.ifMatch, c.body)
		var re *requestError
		switch {
		case c.status == 0 && (err != nil || got != c.want):
			t.Errorf("%v %v: %d %v", c.ifMatch, c.body, got, err)
		case c.status != 0 && (!errors.As(err, &re) || re.Status != c.status):
			t.Errorf("%v %v: %v, want status %d", c.ifMatch, c.body, err, c.status)
		}
	}
}
