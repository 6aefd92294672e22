package notify

// Catalog keys of the names pages show; every one exists in both catalogs (a test checks).

// EventLabel is the catalog key of an event's name, e.g. for the preference matrix.
func EventLabel(e Event) string { return "notify.event." + string(e) }

// KindLabel is the catalog key of a channel kind's name.
func KindLabel(k Kind) string { return "notify.kind." + string(k) }

// StatusLabel is the catalog key of an outbox status's name.
func StatusLabel(s Status) string { return "notify.outbox." + string(s) }

// TLSModes are the values of an e-mail channel's "tls" setting, in the order a form offers them;
// TLSLabel names each.
var TLSModes = []string{TLSStart, TLSImplicit, TLSNone}

// TLSLabel is the catalog key of a TLS mode's name.
func TLSLabel(mode string) string { return "notify.tls." + mode }
