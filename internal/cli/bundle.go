package cli

import (
	"sync"

	"opsdesk/internal/i18n"
)

var bundleOnce = sync.OnceValue(i18n.New)

// newBundle returns the message catalogs, loaded once per process.
func newBundle() *i18n.Bundle { return bundleOnce() }
