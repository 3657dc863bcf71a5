// Package textfeat turns short Chinese or English customer text into the
// string features that kefu's bot models learn from: character n-grams over
// CJK runs (so no word dictionary is needed), lower-cased words for Latin
// text, and placeholder tokens for numbers and anonymised fields.
//
// Every model in bot/ uses the same normalisation, so a feature seen in
// training is spelled the same way at prediction time.
package textfeat

import (
	"strings"
	"unicode"
)

// NumberToken stands for any run of digits. A unit is one CJK character,
// one Latin word, one number or one placeholder; n-grams are built over
// units.
const NumberToken = "#num"

// placeholders maps the anonymisation markers found in exported chat logs
// ("[订单x]", "[数字x]" …) to short tokens, so a real order number and its
// anonymised form give the same feature.
var placeholders = map[string]string{
	"订单x":   "#order",
	"数字x":   NumberToken,
	"金额x":   "#money",
	"日期x":   "#date",
	"时间x":   "#time",
	"地址x":   "#addr",
	"姓名x":   "#name",
	"电话x":   "#phone",
	"链接x":   "#link",
	"站点x":   "#site",
	"组织机构x": "#org",
	"身份证号x": "#id",
	"邮箱x":   "#mail",
}

// IsCJK reports whether r is a Han, Hiragana, Katakana or Hangul character;
// these are the characters that get n-grams rather than words.
func IsCJK(r rune) bool {
	if r < 0x2E80 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// Fold maps a full-width ASCII character (as typed by Chinese input methods)
// to its half-width form and lower-cases it; "？" and "?" then count alike.
func Fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	case r == '。':
		r = '.'
	case r == '，' || r == '、':
		r = ','
	}
	return unicode.ToLower(r)
}

// Units splits s into segments of units. A segment is a maximal run of
// units not broken by punctuation, or by a space next to CJK text; n-grams
// never cross a segment boundary. Latin words and numbers are single
// units, anonymisation markers become tokens such as "#order", and any run
// of digits becomes NumberToken. Punctuation other than "?" and "!" is
// dropped; those two are kept as units because they carry tone.
func Units(s string) [][]string {
	var segs [][]string
	var cur []string
	var word []rune
	rs := []rune(s)
	// A space separates segments around CJK text ("你好 我要退货" is two
	// messages run together) but not between Latin words ("cancel my
	// order" is one phrase); pendingSpace remembers one until the next
	// unit shows which.
	pendingSpace := false
	push := func(u string) {
		if pendingSpace && len(cur) > 0 && (!isWordy(cur[len(cur)-1]) || !isWordy(u)) {
			segs = append(segs, cur)
			cur = nil
		}
		pendingSpace = false
		cur = append(cur, u)
	}
	flushWord := func() {
		if len(word) == 0 {
			return
		}
		w := string(word)
		if isAllDigits(word) {
			w = NumberToken
		}
		push(w)
		word = word[:0]
	}
	flushSeg := func() {
		flushWord()
		pendingSpace = false
		if len(cur) > 0 {
			segs = append(segs, cur)
			cur = nil
		}
	}
	for i := 0; i < len(rs); i++ {
		r := Fold(rs[i])
		if r == '[' {
			if tok, n := placeholderAt(rs[i+1:]); n > 0 {
				flushWord()
				push(tok)
				i += n
				continue
			}
		}
		switch {
		case IsCJK(r):
			flushWord()
			push(string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// Letters and digits stay together, so a model number such as
			// "iphone15" or "a52" is one unit.
			word = append(word, r)
		case r == '?' || r == '!':
			flushWord()
			push(string(r))
		case r == '\'' && len(word) > 0:
			// keep English contractions such as "don't" in one word
			word = append(word, r)
		case unicode.IsSpace(r):
			flushWord()
			pendingSpace = true
		default:
			flushSeg()
		}
	}
	flushSeg()
	return segs
}

func isAllDigits(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return len(rs) > 0
}

// placeholderAt looks for "name]" at the start of rs and returns the token
// for a known anonymisation marker and the number of runes consumed
// (including the closing bracket).
func placeholderAt(rs []rune) (string, int) {
	for n := 1; n < len(rs) && n <= 10; n++ {
		if rs[n] == ']' {
			name := strings.ToLower(string(rs[:n]))
			if tok, ok := placeholders[name]; ok {
				return tok, n + 1
			}
			return "", 0
		}
	}
	return "", 0
}

// Options choose which features Extract produces.
type Options struct {
	// MaxN is the longest n-gram over units (1–4); 0 means 3.
	MaxN int
	// NoBoundary leaves out the segment-start and segment-end markers that
	// otherwise make "^好" and "吗$" distinct from "好" and "吗".
	NoBoundary bool
}

// Extract returns the features of s: every n-gram of units (n = 1..MaxN)
// within each segment, joined by "_" only where a Latin word takes part, and
// boundary n-grams such as "^退" and "吗$". A feature may repeat; counts are
// term frequencies.
func Extract(s string, opts Options) []string {
	maxN := opts.MaxN
	if maxN <= 0 {
		maxN = 3
	}
	var out []string
	for _, seg := range Units(s) {
		for i := range seg {
			for n := 1; n <= maxN && i+n <= len(seg); n++ {
				out = append(out, join(seg[i:i+n]))
			}
		}
		if !opts.NoBoundary && len(seg) > 0 {
			out = append(out, "^"+seg[0], seg[len(seg)-1]+"$")
			if len(seg) > 1 {
				out = append(out, "^"+join(seg[:2]))
			}
		}
	}
	return out
}

// join concatenates units; a separator is put only between two Latin
// words, so CJK n-grams stay as plain strings ("退货了").
func join(units []string) string {
	if len(units) == 1 {
		return units[0]
	}
	var b strings.Builder
	for i, u := range units {
		if i > 0 && isWordy(units[i-1]) && isWordy(u) {
			b.WriteByte(' ')
		}
		b.WriteString(u)
	}
	return b.String()
}

func isWordy(u string) bool {
	for _, r := range u {
		return !IsCJK(r) && r != '?' && r != '!'
	}
	return false
}

// Chars returns the CJK characters and Latin words of s in order, the
// units of Units flattened and without placeholders or punctuation; FAQ
// retrieval indexes these and their bigrams.
func Chars(s string) []string {
	var out []string
	for _, seg := range Units(s) {
		for _, u := range seg {
			if u == "?" || u == "!" || strings.HasPrefix(u, "#") {
				continue
			}
			out = append(out, u)
		}
	}
	return out
}
