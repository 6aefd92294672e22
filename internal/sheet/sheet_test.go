package sheet

import (
	"bytes"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "+86 138": "'+86 138", "-1": "'-1", "@x": "'@x",
		"打印机": "打印机", "": "", "a=b": "a=b"} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSVAndXLSX(t *testing.T) {
	rows := func(put func([]string) error) error {
		for _, r := range [][]string{{"1", "打印机卡纸"}, {"2", "网络不通"}} {
			if err := put(r); err != nil {
				return err
			}
		}
		return nil
	}
	var b bytes.Buffer
	if err := CSV(&b, []string{"序号", "问题"}, rows); err != nil {
		t.Fatal(err)
	}
	if want := BOM + "序号,问题\n1,打印机卡纸\n2,网络不通\n"; b.String() != want {
		t.Fatalf("csv %q, want %q", b.String(), want)
	}
	b.Reset()
	if err := XLSX(&b, "表", []string{"序号", "问题"}, rows); err != nil || !strings.HasPrefix(b.String(), "PK") {
		t.Fatalf("xlsx: %v, %d bytes", err, b.Len())
	}
}
