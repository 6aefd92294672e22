package config

import (
	"strings"
	"testing"
)

func TestAttachmentsMaxMB(t *testing.T) {
	c, err := Load(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Attachments.MaxMB != 20 || c.Attachments.MaxBytes() != 20<<20 {
		t.Fatalf("default attachments.max_mb = %d, want 20", c.Attachments.MaxMB)
	}
	c, err = Load(nil, []string{"OPSDESK_ATTACHMENTS_MAX_MB=5"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Attachments.MaxMB != 5 {
		t.Fatalf("OPSDESK_ATTACHMENTS_MAX_MB=5 gave %d", c.Attachments.MaxMB)
	}
	if !strings.Contains(c.Masked(), `attachments.max_mb = "5"`) {
		t.Errorf("config show lacks attachments.max_mb:\n%s", c.Masked())
	}
	for _, bad := range []int{0, -1, 101} {
		c := Default()
		c.Attachments.MaxMB = bad
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "attachments.max_mb") {
			t.Errorf("max_mb %d: %v, want a problem naming attachments.max_mb", bad, err)
		}
	}
}
