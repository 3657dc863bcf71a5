package vault

import "strings"

// NormalizePhone returns the canonical form of a phone number, used both
// before storing and before blind-indexing so that a search matches however
// the number was typed.
//
// It keeps only the digits (full-width digits, common in Chinese input
// methods, count as digits). A mainland mobile number written with a country
// prefix (+86, 0086 or a bare 86 followed by 11 digits starting with 1) loses
// the prefix, so "+86 138-1234-1234" and "13812341234" are the same number.
// Other numbers keep all their digits; the leading "+" of an international
// number is dropped, so "+44 20 7946 0958" and "44 20 7946 0958" also match.
// A string without digits normalises to "".
func NormalizePhone(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		}
	}
	d := b.String()
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "86") && isMainlandMobile(d[2:]):
		return d[2:]
	case len(d) == 15 && strings.HasPrefix(d, "0086") && isMainlandMobile(d[4:]):
		return d[4:]
	}
	return d
}

// isMainlandMobile reports whether d, all digits, looks like a mainland
// China mobile number: 11 digits starting with 1.
func isMainlandMobile(d string) bool {
	return len(d) == 11 && d[0] == '1'
}

// NormalizeEmail returns the canonical form of an email address: trimmed and
// lower-cased. The local part is lower-cased too; strictly it is
// case-sensitive, but no mail provider our customers use treats it so, and
// a lookup that misses because of a capital letter is the worse failure.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}
