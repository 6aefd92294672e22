package ticket

import (
	"bytes"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"opsdesk/internal/errs"
)

// The types an attachment may have. The content decides (sniffed as browsers do, plus the magic
// numbers the sniffer does not know); the extension must agree with it. Everything else is refused,
// executables, scripts, HTML and SVG (which can carry script) with their own message.

// maxNameRunes bounds a cleaned file name.
const maxNameRunes = 200

var (
	imageExts = map[string][]string{
		"image/png": {".png"}, "image/jpeg": {".jpg", ".jpeg"}, "image/gif": {".gif"},
		"image/webp": {".webp"}, "image/bmp": {".bmp"},
	}
	// zipTypes: Office Open XML documents are zip archives told apart by their extension.
	zipTypes = map[string]string{
		".zip":  "application/zip",
		".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	}
	// oleTypes: the older Office formats share the OLE compound file container.
	oleTypes  = map[string]string{".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint"}
	textTypes = map[string]string{".txt": "text/plain", ".log": "text/plain", ".csv": "text/csv"}
	// unsafeExts run code when opened, or render as active content in a browser.
	unsafeExts = map[string]bool{
		".exe": true, ".dll": true, ".com": true, ".scr": true, ".msi": true, ".msp": true, ".cpl": true, ".sys": true,
		".bat": true, ".cmd": true, ".ps1": true, ".psm1": true, ".vbs": true, ".vbe": true, ".js": true, ".jse": true,
		".mjs": true, ".wsf": true, ".wsh": true, ".hta": true, ".lnk": true, ".reg": true, ".jar": true, ".class": true,
		".sh": true, ".bash": true, ".py": true, ".pl": true, ".rb": true, ".php": true, ".asp": true, ".aspx": true,
		".jsp": true, ".elf": true, ".bin": true, ".app": true, ".apk": true, ".deb": true, ".rpm": true,
		".html": true, ".htm": true, ".xhtml": true, ".shtml": true, ".mht": true, ".svg": true, ".svgz": true,
		".xml": true, ".xsl": true,
	}
	// unsafeMagic are the first bytes of executables and scripts: PE (MZ), ELF, Mach-O, Java class
	// and fat Mach-O, and the #! of a script.
	unsafeMagic = [][]byte{[]byte("MZ"), []byte("\x7fELF"), {0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf},
		{0xce, 0xfa, 0xed, 0xfe}, {0xcf, 0xfa, 0xed, 0xfe}, {0xca, 0xfe, 0xba, 0xbe}, []byte("#!")}
	magic7z  = []byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c}
	magicOLE = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	// activeText starts markup a browser would run even in a file that sniffs as plain text.
	activeText = []string{"<svg", "<?xml", "<!doctype", "<html", "<script", "<xsl"}
)

func unsafeType() error {
	return errs.E(errs.Invalid, "err.attachment.unsafe", errs.Field("file", "err.attachment.unsafe"))
}

func badType() error {
	return errs.E(errs.Invalid, "err.attachment.type", errs.Field("file", "err.attachment.type"))
}

// FileType decides whether content named name may be attached, and returns the Content-Type it is
// served with. sniffed is what http.DetectContentType says of data (passed in, as the domain does not
// import net/http). Allowed: images (PNG, JPEG, GIF, WebP, BMP), PDF, text (txt, log, csv), Office
// documents (docx, xlsx, pptx, doc, xls, ppt) and zip/7z archives.
func FileType(name, sniffed string, data []byte) (string, error) {
	ext := strings.ToLower(path.Ext(name))
	if unsafeExts[ext] {
		return "", unsafeType()
	}
	for _, m := range unsafeMagic {
		if bytes.HasPrefix(data, m) {
			return "", unsafeType()
		}
	}
	mediaType, _, _ := strings.Cut(sniffed, ";")
	switch {
	case mediaType == "text/html" || mediaType == "text/xml":
		return "", unsafeType()
	case imageExts[mediaType] != nil:
		for _, e := range imageExts[mediaType] {
			if e == ext {
				return mediaType, nil
			}
		}
	case mediaType == "application/pdf":
		if ext == ".pdf" {
			return mediaType, nil
		}
	case mediaType == "application/zip":
		if t := zipTypes[ext]; t != "" {
			return t, nil
		}
	case bytes.HasPrefix(data, magic7z):
		if ext == ".7z" {
			return "application/x-7z-compressed", nil
		}
	case bytes.HasPrefix(data, magicOLE):
		if t := oleTypes[ext]; t != "" {
			return t, nil
		}
	case strings.HasPrefix(mediaType, "text/plain"):
		head := strings.ToLower(string(bytes.TrimLeft(bytes.TrimPrefix(data[:min(len(data), 512)], []byte("\xef\xbb\xbf")), " \t\r\n")))
		for _, p := range activeText {
			if strings.HasPrefix(head, p) {
				return "", unsafeType()
			}
		}
		t := textTypes[ext]
		if t == "" {
			break
		}
		// Keep the charset the sniffer found (UTF-16 by its BOM); claim UTF-8 only for valid UTF-8,
		// so that a GBK log downloads as it is and the reader picks the encoding.
		switch {
		case strings.Contains(sniffed, "utf-16"):
			_, cs, _ := strings.Cut(sniffed, ";")
			return t + ";" + cs, nil
		case utf8.Valid(data):
			return t + "; charset=utf-8", nil
		}
		return t, nil
	}
	return "", badType()
}

// CleanName makes a client's file name safe to store and to offer for download: the last path
// element only, no control or invisible formatting characters (a right-to-left override can make
// "gpj.exe" read as "exe.jpg"), none of the characters Windows forbids, no trailing dots or spaces,
// at most 200 characters with the extension kept.
func CleanName(name string) (string, error) {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			return -1
		case strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimRight(name, ". \u3000"), " \u3000")
	if name == "" {
		return "", errs.E(errs.Invalid, "err.attachment.name", errs.Field("file", "err.attachment.name"))
	}
	if r := []rune(name); len(r) > maxNameRunes {
		ext := []rune(path.Ext(name))
		if len(ext) > 16 {
			ext = nil
		}
		name = string(r[:maxNameRunes-len(ext)]) + string(ext)
	}
	return name, nil
}

// Disposition is the Content-Disposition of a download: always an attachment (never shown inline),
// with an ASCII fallback name and the UTF-8 name of RFC 5987 for Chinese names.
func (a *Attachment) Disposition() string {
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';' {
			return '_'
		}
		return r
	}, a.Name)
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + encode5987(a.Name)
}

// encode5987 percent-encodes every byte of s that is not an attr-char of RFC 5987.
func encode5987(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
