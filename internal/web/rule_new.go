package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/iam"
	"opsdesk/internal/ticket"
)

// ruleFormPage creates or edits a dispatch rule.
type ruleFormPage struct {
	basePage
	IsNew      bool
	Form       ruleForm
	Categories []categoryRow
	Groups     []*iam.Group
	Channels   []ticket.Channel
}

// ChannelKey is the message key of a channel.
func (p *ruleFormPage) ChannelKey(c ticket.Channel) string { return channelKey(c) }

// ruleForm is what the rule form submits.
type ruleForm struct {
	ID         int64
	Version    int
	Name       string
	Sort       int
	CategoryID int64
	Channel    ticket.Channel
	Location   string
	Keyword    string
	GroupID    int64
	Active     bool
}

func readRuleForm(r *http.Request, fe fieldErrors) ruleForm {
	return ruleForm{Version: fe.int(r, "version"), Name: r.PostFormValue("name"), Sort: fe.int(r, "sort"),
		CategoryID: fe.id(r, "category_id"), Channel: ticket.Channel(r.PostFormValue("channel")),
		Location: r.PostFormValue("location"), Keyword: r.PostFormValue("keyword"), GroupID: fe.id(r, "group_id"),
		Active: r.PostFormValue("active") == "on"}
}

func (f ruleForm) rule() *ticket.Rule {
	return &ticket.Rule{ID: f.ID, Version: f.Version, Name: f.Name, Sort: f.Sort, CategoryID: f.CategoryID, Channel: f.Channel,
		Location: f.Location, Keyword: f.Keyword, GroupID: f.GroupID, Active: f.Active}
}

// ruleNew renders the empty rule form.
func (h *Handler) ruleNew(w http.ResponseWriter, r *http.Request) error {
	p, err := h.ruleFormPage(r, true)
	if err != nil {
		return err
	}
	p.Form = ruleForm{Active: true, Sort: 100}
	h.render(w, r, http.StatusOK, "ticketadmin/rule_form", p)
	return nil
}

func (h *Handler) ruleFormPage(r *http.Request, isNew bool) (*ruleFormPage, error) {
	cats, err := h.d.Tickets.Categories(r.Context())
	if err != nil {
		return nil, err
	}
	groups, err := h.d.IAM.Groups(r.Context())
	if err != nil {
		return nil, err
	}
	title := "web.tadmin.rule_new"
	if !isNew {
		title = "web.tadmin.rule_edit"
	}
	return &ruleFormPage{basePage: h.base(r, title), IsNew: isNew, Categories: categoryTree(cats), Groups: groups,
		Channels: ticket.Channels}, nil
}

// ruleSave saves the rule form and answers as create and update both do.
func (h *Handler) ruleSave(w http.ResponseWriter, r *http.Request, id int64) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readRuleForm(r, fe)
	f.ID = id
	// Both checks are the service's too; made here so that they show with the other fields at once.
	if f.GroupID == 0 {
		fe["group_id"] = "err.required"
	}
	if strings.TrimSpace(f.Name) == "" {
		fe["name"] = "err.required"
	}
	err := fe.err()
	if err == nil {
		err = h.d.Tickets.SaveRule(r.Context(), f.rule())
	}
	if ok, status, msg, fields := formError(err); ok {
		p, perr := h.ruleFormPage(r, id == 0)
		if perr != nil {
			return perr
		}
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "ticketadmin/rule_form", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/dispatch-rules", http.StatusSeeOther)
	return nil
}
