package search

import (
	"slices"
	"strings"
	"testing"
)

func TestTerms(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"打印机卡纸", []string{"打印", "印机", "机卡", "卡纸"}},
		{"网络", []string{"网络"}},
		{"网", []string{"网"}},
		{"Outlook 邮件收不到", []string{"outlook", "邮件", "件收", "收不", "不到"}},
		{"VPN连不上,IP=10.0.0.1", []string{"vpn", "连不", "不上", "ip", "10", "0", "0", "1"}},
		{"", nil},
		{"<script>alert(1)</script>", []string{"script", "alert", "1", "script"}},
		{"OA系统ＯＫ", []string{"oa", "系统", "ｏｋ"}},
	}
	for _, tc := range cases {
		if got := Terms(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Terms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDocumentAndQuery(t *testing.T) {
	doc := Document("打印机无法打印", "请检查打印机驱动")
	for _, q := range []string{"打印", "打印机", "驱动"} {
		for _, term := range Query(q) {
			if !slices.Contains(strings.Fields(doc), term) {
				t.Errorf("query %q term %q not in document %q", q, term, doc)
			}
		}
	}
	if got := strings.Count(doc, "打印"); got != 1 {
		t.Errorf("duplicate terms kept: %q", doc)
	}
	if len(Terms(strings.Repeat("网络故障", 5000))) != maxTerms {
		t.Error("terms not bounded")
	}
	if Query("  ,.; ") != nil {
		t.Error("punctuation-only query should have no terms")
	}
}
