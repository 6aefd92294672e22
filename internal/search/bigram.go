// Package search turns Chinese and Latin text into the terms opsdesk indexes for full-text search (全文检索).
// Chinese has no spaces, and the databases' own tokenizers either keep a whole run of Chinese characters
// as one token (SQLite unicode61, PostgreSQL simple) or need three characters (FTS5 trigram). Indexing
// every pair of adjacent Chinese characters (bigrams) finds two-character words such as 打印, 网络 and 邮件
// exactly, with no dictionary, on both engines. Latin words and numbers are indexed whole, lower-cased.
package search

import (
	"strings"
	"unicode"
)

// maxTerms bounds the terms of one document, so that a pasted log file cannot bloat the index.
const maxTerms = 4000

// isHan reports whether r is written without spaces between words (Chinese, Japanese kana, Korean).
func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// Terms returns the index terms of text: the bigrams of every run of Han characters (a lone character
// stands for itself) and the lower-cased Latin words and numbers, in order, duplicates kept.
func Terms(text string) []string {
	var terms []string
	var run []rune  // current run of Han characters
	var word []rune // current Latin word
	flushRun := func() {
		switch len(run) {
		case 0:
		case 1:
			terms = append(terms, string(run))
		default:
			for i := 0; i+1 < len(run); i++ {
				terms = append(terms, string(run[i:i+2]))
			}
		}
		run = run[:0]
	}
	flushWord := func() {
		if len(word) > 0 {
			terms = append(terms, strings.ToLower(string(word)))
			word = word[:0]
		}
	}
	for _, r := range text {
		if len(terms) >= maxTerms {
			break
		}
		switch {
		case isHan(r):
			flushWord()
			run = append(run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushRun()
			word = append(word, r)
		default:
			flushRun()
			flushWord()
		}
	}
	flushRun()
	flushWord()
	if len(terms) > maxTerms {
		terms = terms[:maxTerms]
	}
	return terms
}

// Document is the text to store in the index column: the distinct terms separated by spaces, which
// both SQLite's unicode61 tokenizer and PostgreSQL's 'simple' configuration split back into exactly
// these terms.
func Document(parts ...string) string {
	seen := map[string]bool{}
	var b strings.Builder
	for _, p := range parts {
		for _, t := range Terms(p) {
			if seen[t] {
				continue
			}
			seen[t] = true
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t)
		}
	}
	return b.String()
}

// Query returns the distinct terms a query must all match; empty when the query has no searchable text.
func Query(q string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range Terms(q) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
