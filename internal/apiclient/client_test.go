package apiclient_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"opsdesk/internal/apiclient"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

func TestClient(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			ctx := context.Background()
			admin, err := apiclient.New(env.URL+"/", env.Tokens["sysadmin"])
			if err != nil {
				t.Fatal(err)
			}
			me, err := apiclient.Check(admin.GetMeWithResponse(ctx))
			if err != nil || me.JSON200.Username != "admin" {
				t.Fatalf("GetMe: %v %+v", err, me.JSON200)
			}

			post := "值班工程师"
			created, err := apiclient.Check(admin.CreateUserWithResponse(ctx, apiclient.UserCreate{
				Username: "zhaoliu", Name: "赵六", OrgUnitId: me.JSON200.OrgUnitId, Password: "Zhao@Liu2026!", Post: &post,
			}))
			if err != nil || created.StatusCode() != 201 || created.JSON201.Post != post {
				t.Fatalf("CreateUser: %v", err)
			}
			limit := 100
			list, err := apiclient.Check(admin.ListUsersWithResponse(ctx, &apiclient.ListUsersParams{Limit: &limit}))
			if err != nil || list.JSON200.Total != 9 {
				t.Fatalf("ListUsers: %v", err)
			}

			// An error answer becomes a *StatusError carrying the API's error shape, in the asked language.
			vendor, _ := apiclient.New(env.URL, env.Tokens["vendor"], apiclient.WithLanguage("en"))
			_, err = apiclient.Check(vendor.ListUsersWithResponse(ctx, nil))
			var se *apiclient.StatusError
			if !errors.As(err, &se) || se.Status != 403 || se.Kind != "forbidden" || se.Message != "You are not allowed to do this." {
				t.Fatalf("forbidden call: %#v", err)
			}
			_, err = apiclient.Check(admin.CreateUserWithResponse(ctx, apiclient.UserCreate{Username: "x"}))
			if !errors.As(err, &se) || se.Status != 400 || se.Fields["org_unit_id"] == "" {
				t.Fatalf("invalid call: %#v", err)
			}
		})
	}
}
