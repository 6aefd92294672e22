package mailin

import (
	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Charset labels that Chinese mail carries in the wild but the IANA and WHATWG indexes behind
// go-message do not know: Windows code-page names, Python's "big5_tw", underscores for hyphens.
// The simplified ones decode as GB18030, the superset of GB2312 and GBK, so that a mail labelled
// gb2312 but written with GBK characters still reads right.
func init() {
	for _, name := range []string{"cp936", "ms936", "windows-936", "x-windows-936", "x-gbk", "gb_2312", "gb2312-80",
		"euc-cn", "x-euc-cn", "x-gb18030"} {
		charset.RegisterEncoding(name, simplifiedchinese.GB18030)
	}
	for _, name := range []string{"big5_tw", "big5-tw", "cp950", "ms950", "windows-950", "x-windows-950", "big5_hkscs", "x-x-big5"} {
		charset.RegisterEncoding(name, traditionalchinese.Big5)
	}
}
