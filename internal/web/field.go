package web

import (
	"fmt"
	"strings"
)

// formPage is what the field helper needs from a page: every page struct has it through basePage.
type formPage interface {
	lang() string
	fieldError(name string) string // message key or ""
}

func (b *basePage) lang() string { return b.Lang }

func (b *basePage) fieldError(name string) string { return b.Errors[name] }

// fieldData is one labelled input for the "input" template.
type fieldData struct {
	Lang, Name, Label, Type, Hint, Autocomplete, Min, Max string
	Value                                                 any
	Error                                                 string // translated
	Required, Readonly                                    bool
}

// newField builds the data of one input. opts are "required", "readonly", "type=…", "hint=<key>",
// "ac=<autocomplete>", "min=…" and "max=…", which keeps the templates short.
func newField(tr func(lang, key string, kv ...any) string, p formPage, name, label string, value any, opts ...string) fieldData {
	f := fieldData{Lang: p.lang(), Name: name, Label: label, Type: "text", Value: value}
	if k := p.fieldError(name); k != "" {
		f.Error = tr(f.Lang, k)
	}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "required":
			f.Required = true
		case "readonly":
			f.Readonly = true
		case "type":
			f.Type = v
		case "hint":
			f.Hint = v
		case "ac":
			f.Autocomplete = v
		case "min":
			f.Min = v
		case "max":
			f.Max = v
		default:
			panic(fmt.Sprintf("field %s: unknown option %q", name, o))
		}
	}
	return f
}
