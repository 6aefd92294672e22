package ticket

import (
	"context"
	"strconv"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Category is a node of the category tree (问题分类): 网络 › 无线网络.
type Category struct {
	ID       int64
	ParentID int64
	Name     string
	NameEN   string
	Sort     int
	Active   bool
	Version  int
}

// Label returns the category's name in the language lang ("en" or zh-CN).
func (c *Category) Label(lang string) string {
	if lang == "en" && c.NameEN != "" {
		return c.NameEN
	}
	return c.Name
}

// Categories lists the whole tree, parents before children, in sort order. Everyone who can open
// a ticket needs it.
func (s *Service) Categories(ctx context.Context) ([]*Category, error) {
	if actor.FromContext(ctx) == nil {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	return s.Store.Categories(ctx)
}

// SaveCategory creates (ID 0) or edits a category. A category may sit under a top-level one only:
// two levels are what the seeds' 技术支持记录表 uses and what a phone agent can pick quickly.
func (s *Service) SaveCategory(ctx context.Context, c *Category) error {
	if !actor.FromContext(ctx).Can(PermConfigure) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	c.Name, c.NameEN = strings.TrimSpace(c.Name), strings.TrimSpace(c.NameEN)
	var f errs.Fields
	f.Text("name", c.Name, 1, 64)
	f.Text("name_en", c.NameEN, 0, 64)
	if err := f.Err(); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		var before *Category
		if c.ID != 0 {
			old, err := s.Store.Category(ctx, c.ID)
			if err != nil {
				return err
			}
			before = old
		}
		if c.ParentID != 0 {
			p, err := s.Store.Category(ctx, c.ParentID)
			if err != nil || p.ParentID != 0 || p.ID == c.ID {
				return errs.E(errs.Invalid, "err.ticket.category_parent", errs.Field("parent_id", "err.ticket.category_parent"))
			}
		}
		if err := s.Store.SaveCategory(ctx, c); err != nil {
			return err
		}
		return s.recordTarget(ctx, "ticket.category", "ticket_category", strconv.FormatInt(c.ID, 10), before, c)
	})
}

// checkCategory verifies that a ticket's category exists and is active (0 is "not yet classified").
func (s *Service) checkCategory(ctx context.Context, id int64) error {
	if id == 0 {
		return nil
	}
	c, err := s.Store.Category(ctx, id)
	if err != nil || !c.Active {
		return errs.E(errs.Invalid, "err.ticket.category", errs.Field("category_id", "err.ticket.category"))
	}
	return nil
}
