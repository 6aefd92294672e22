package bench

import (
	"io"
	"log/slog"
	"os"
	"testing"

	"opsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))
