// Package text splits Chinese and English text into search terms: CJK runs
// become overlapping character bigrams (as Lucene's CJK analyzer does, with no
// dictionary to load), other letters and digits become lower-case words.
package text

import (
	"strings"
	"unicode"
)

// isCJK reports whether r is a Han, Hiragana, Katakana or Hangul character.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// Terms returns the search terms of s in order: bigrams for each CJK run (a
// lone CJK character is its own term) and lower-cased words of letters and
// digits. Punctuation and spaces separate terms.
func Terms(s string) []string {
	var out []string
	var cjk []rune
	var word strings.Builder
	flushCJK := func() {
		switch len(cjk) {
		case 0:
		case 1:
			out = append(out, string(cjk))
		default:
			for i := 0; i+1 < len(cjk); i++ {
				out = append(out, string(cjk[i:i+2]))
			}
		}
		cjk = cjk[:0]
	}
	flushWord := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	for _, r := range s {
		switch {
		case isCJK(r):
			flushWord()
			cjk = append(cjk, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushCJK()
			word.WriteRune(unicode.ToLower(r))
		default:
			flushCJK()
			flushWord()
		}
	}
	flushCJK()
	flushWord()
	return out
}

// SearchText returns the terms of s joined by spaces, the form stored for
// full-text indexing.
func SearchText(s string) string { return strings.Join(Terms(s), " ") }
