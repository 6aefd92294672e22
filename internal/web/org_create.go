package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/iam"
)

// readOrgForm reads the unit form; fe collects numbers that do not parse.
func readOrgForm(r *http.Request, fe fieldErrors) orgForm {
	return orgForm{
		ParentID: fe.id(r, "parent_id"), Version: fe.int(r, "version"),
		Name: r.PostFormValue("name"), Code: strings.TrimSpace(r.PostFormValue("code")),
		Kind: iam.OrgKind(r.PostFormValue("kind")), Sort: fe.int(r, "sort"),
	}
}

func (f orgForm) input() iam.OrgInput {
	return iam.OrgInput{ParentID: f.ParentID, Name: f.Name, Code: f.Code, Kind: f.Kind, Sort: f.Sort}
}

// orgCreate adds a unit to the tree.
func (h *Handler) orgCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readOrgForm(r, fe)
	err := fe.err()
	if err == nil {
		_, err = h.d.IAM.CreateOrgUnit(r.Context(), f.input())
	}
	if ok, status, msg, fields := formError(err); ok {
		p, err := h.orgPage(r)
		if err != nil {
			return err
		}
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "org/list", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/org", http.StatusSeeOther)
	return nil
}
