package email

import "testing"

func TestMessageID(t *testing.T) {
	tests := []struct{ key, from, want string }{
		{"k1", "desk@Ops.Example.com", "<k1@ops.example.com>"},
		{"k1", "运维 <desk@ops.example.com>", "<k1@ops.example.com>"},
		{"k1", "desk", "<k1@opsdesk.invalid>"},
	}
	for _, tc := range tests {
		got := MessageID(tc.key, tc.from)
		if got != tc.want {
			t.Errorf("MessageID(%q, %q) = %q, want %q", tc.key, tc.from, got, tc.want)
		}
		if k := KeyFromMessageID(" " + got + " "); k != tc.key {
			t.Errorf("KeyFromMessageID(%q) = %q, want %q", got, k, tc.key)
		}
	}
	for _, id := range []string{"", "<>", "<nokey>", "<@x>", "<k@>"} {
		if k := KeyFromMessageID(id); k != "" {
			t.Errorf("KeyFromMessageID(%q) = %q, want empty", id, k)
		}
	}
}

func TestReplyTo(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]string
		ref  string
		want string
	}{
		{"none configured", map[string]string{"from": "desk@x.cn"}, "INC-1", ""},
		{"reply_to as is", map[string]string{"from": "desk@x.cn", "reply_to": "help@x.cn"}, "INC-1", "help@x.cn"},
		{"plus on reply_to", map[string]string{"reply_to": "help@x.cn", "plus_addressing": "true"}, "INC-1", "help+INC-1@x.cn"},
		{"plus on from", map[string]string{"from": "desk@x.cn", "plus_addressing": "true"}, "INC-1", "desk+INC-1@x.cn"},
		{"plus without ref", map[string]string{"from": "desk@x.cn", "plus_addressing": "true"}, "", ""},
		{"plus off", map[string]string{"from": "desk@x.cn", "plus_addressing": "false"}, "INC-1", ""},
		{"ref unfit for a local part", map[string]string{"reply_to": "help@x.cn", "plus_addressing": "true"}, "INC 1", "help@x.cn"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReplyTo(tc.cfg, tc.ref); got != tc.want {
				t.Errorf("ReplyTo = %q, want %q", got, tc.want)
			}
		})
	}
}
