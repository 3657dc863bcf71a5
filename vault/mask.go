package vault

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"kefu"
)

// Field names of PII kept outside the contact record (orders, refunds).
// The contact fields are kefu.FieldName, kefu.FieldPhone and so on.
const (
	FieldIDCard   = "id_card"
	FieldBankCard = "bank_card"
)

// hidden replaces a value too short to mask partially: showing any of it
// would reveal more than the display rules intend.
const hidden = "****"

// addressStars replaces everything after the administrative divisions of
// an address. Its length is fixed so the masked form does not leak the
// length of the street address.
const addressStars = "********"

// Mask masks value for display according to the rules of field: kefu.FieldName,
// kefu.FieldPhone, kefu.FieldEmail, kefu.FieldAddress, kefu.FieldWeChat,
// FieldIDCard or FieldBankCard. An unknown field is masked entirely as "****",
// so a new field never leaks before someone writes its rule. An empty value
// stays empty for every field.
func Mask(field, value string) string {
	if value == "" {
		return ""
	}
	switch field {
	case kefu.FieldName:
		return MaskName(value)
	case kefu.FieldPhone:
		return MaskPhone(value)
	case kefu.FieldEmail:
		return MaskEmail(value)
	case kefu.FieldAddress:
		return MaskAddress(value)
	case kefu.FieldWeChat:
		return MaskWeChat(value)
	case FieldIDCard:
		return MaskIDCard(value)
	case FieldBankCard:
		return MaskBankCard(value)
	}
	return hidden
}

// MaskPhone masks a phone number after normalising it with NormalizePhone, so
// "+86 138 1234 1234" shows as the national number "138****1234".
//
//   - 11 or more digits: first 3, "****", last 4 (13812341234 → 138****1234);
//   - 7 to 10 digits (landlines): "****" and the last 4;
//   - 5 or 6 digits: "****" and the last 2;
//   - fewer, or no digits at all: "****".
//
// The shorter the number, the less is shown, so no number is more than about
// two thirds visible.
func MaskPhone(s string) string {
	if s == "" {
		return ""
	}
	d := NormalizePhone(s)
	switch n := len(d); {
	case n >= 11:
		return d[:3] + hidden + d[n-4:]
	case n >= 7:
		return hidden + d[n-4:]
	case n >= 5:
		return hidden + d[n-2:]
	}
	return hidden
}

// MaskName masks a person's name.
//
// A name in Chinese (or another CJK script) keeps its first character, the
// surname, with one "*" per hidden character: 张三丰 → 张**. Other names keep
// their first letter followed by a fixed "***", which hides the length:
// "Alice Wang" → "A***". A name of a single character shows nothing: "*" for
// CJK, "***" otherwise.
func MaskName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r := []rune(s)
	if isCJK(r[0]) {
		if len(r) == 1 {
			return "*"
		}
		return string(r[0]) + strings.Repeat("*", len(r)-1)
	}
	if len(r) == 1 {
		return "***"
	}
	return string(r[0]) + "***"
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// MaskEmail keeps the first character of the local part and the whole
// domain: zhang@example.com → z****@example.com. The number of stars is
// fixed. A one-character local part is hidden entirely (****@example.com),
// and a value without a local part and "@" is hidden as "****".
func MaskEmail(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return hidden
	}
	local, domain := []rune(s[:at]), s[at:]
	if len(local) == 1 {
		return hidden + domain
	}
	return string(local[0]) + hidden + domain
}

// MaskIDCard keeps the first character and the last 2 of an identity card
// number, with one "*" per hidden character:
// 11010519491231002X → 1***************2X. Spaces are ignored. Values shorter
// than 8 characters are hidden as "****".
func MaskIDCard(s string) string {
	r := []rune(strings.Join(strings.Fields(s), ""))
	if len(r) == 0 {
		return ""
	}
	if len(r) < 8 {
		return hidden
	}
	return string(r[0]) + strings.Repeat("*", len(r)-3) + string(r[len(r)-2:])
}

// MaskBankCard keeps the first 6 digits (the issuer) and the last 4, with one
// "*" per hidden digit: 6225880012341234 → 622588******1234. Spaces and
// dashes are ignored. Numbers of 8 to 13 characters, too short to hide
// enough between the two ends, show only "****" and the last 4; shorter
// ones are hidden as "****".
func MaskBankCard(s string) string {
	r := []rune(strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s))
	switch n := len(r); {
	case n == 0:
		return ""
	case n >= 14:
		return string(r[:6]) + strings.Repeat("*", n-10) + string(r[n-4:])
	case n >= 8:
		return hidden + string(r[n-4:])
	}
	return hidden
}

// MaskWeChat masks a WeChat openid (28 characters) as its first 4, "****"
// and its last 4. Values shorter than 12 characters are hidden as "****".
func MaskWeChat(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) == 0 {
		return ""
	}
	if len(r) < 12 {
		return hidden
	}
	return string(r[:4]) + hidden + string(r[len(r)-4:])
}

// MaskAddress keeps the administrative divisions at the start of a mainland
// address (province, city, district or county) and replaces the rest with
// "********":
//
//	上海市浦东新区张江路88号      → 上海市浦东新区********
//	广东省深圳市南山区科技园1栋   → 广东省深圳市南山区********
//
// Provinces are recognised from the list of the 34 province-level divisions,
// in full (广东省, 新疆维吾尔自治区) or short (广东, 新疆) form; cities and
// districts by their suffixes (市, 自治州, 地区, 盟; 区, 县, 旗, 市). The
// parser is deliberately conservative, because a place inside a district
// mistaken for a division would be shown: a segment containing digits or 号,
// ending like such a place (小区, 园区, 超市 …) or longer than any division
// name is not a division, and a level that is not found is simply skipped
// (the output then shows less, never more). When no division is recognised the first 3 characters
// are kept; an address of 3 characters or fewer is hidden entirely.
// Whitespace is dropped.
func MaskAddress(s string) string {
	r := []rune(strings.Join(strings.Fields(s), ""))
	if len(r) == 0 {
		return ""
	}
	n := divisionsEnd(r)
	if n == 0 {
		if len(r) <= 3 {
			return addressStars
		}
		n = 3
	}
	return string(r[:n]) + addressStars
}

// province is a province-level division in full and short form. Direct
// divisions (municipalities and special administrative regions) have no
// city level; their next level is the district.
type province struct {
	full, short []rune
	direct      bool
}

var provinces = func() []province {
	var ps []province
	add := func(direct bool, names ...string) {
		for i := 0; i < len(names); i += 2 {
			ps = append(ps, province{full: []rune(names[i]), short: []rune(names[i+1]), direct: direct})
		}
	}
	add(true,
		"北京市", "北京", "天津市", "天津", "上海市", "上海", "重庆市", "重庆",
		"香港特别行政区", "香港", "澳门特别行政区", "澳门",
	)
	add(false,
		"河北省", "河北", "山西省", "山西", "辽宁省", "辽宁", "吉林省", "吉林",
		"黑龙江省", "黑龙江", "江苏省", "江苏", "浙江省", "浙江", "安徽省", "安徽",
		"福建省", "福建", "江西省", "江西", "山东省", "山东", "河南省", "河南",
		"湖北省", "湖北", "湖南省", "湖南", "广东省", "广东", "海南省", "海南",
		"四川省", "四川", "贵州省", "贵州", "云南省", "云南", "陕西省", "陕西",
		"甘肃省", "甘肃", "青海省", "青海", "台湾省", "台湾",
		"内蒙古自治区", "内蒙古", "广西壮族自治区", "广西", "西藏自治区", "西藏",
		"宁夏回族自治区", "宁夏", "新疆维吾尔自治区", "新疆",
	)
	return ps
}()

// Suffix rules for the city and district levels. maxLen bounds a segment so
// a stray suffix deep in the street address is not taken for a division;
// autonomous counties and banners get longer names
// (积石山保安族东乡族撒拉族自治县 has 15 characters).
var (
	citySuffixes        = []string{"自治州", "地区", "盟", "市"}
	cityNotDivision     = []string{"超市", "菜市", "夜市", "门市", "集市"}
	cityStop            = "区县旗" // reaching a district first means the city level is absent
	districtSuffixes    = []string{"区", "县", "旗", "市"}
	districtLong        = []string{"自治县", "自治旗"}
	districtNotDivision = []string{"小区", "社区", "园区", "校区", "景区", "街区", "厂区", "超市", "菜市", "夜市", "门市", "集市"}
)

const (
	cityMaxLen         = 12
	districtMaxLen     = 8
	districtLongMaxLen = 16
)

// divisionsEnd returns how many runes at the start of r name administrative
// divisions, 0 if none.
func divisionsEnd(r []rune) int {
	pos := 0
	direct := false
	for _, p := range provinces {
		if hasPrefixRunes(r, p.full) {
			pos, direct = len(p.full), p.direct
			break
		}
	}
	if pos == 0 {
		for _, p := range provinces {
			// "吉林市" is a city in Jilin province, not the province.
			if hasPrefixRunes(r, p.short) && (len(r) == len(p.short) || (r[len(p.short)] != '市' && r[len(p.short)] != '省')) {
				pos, direct = len(p.short), p.direct
				break
			}
		}
	}
	if !direct {
		pos += segment(r[pos:], citySuffixes, nil, cityNotDivision, cityStop, cityMaxLen, cityMaxLen)
	}
	pos += segment(r[pos:], districtSuffixes, districtLong, districtNotDivision, "", districtMaxLen, districtLongMaxLen)
	return pos
}

// segment returns the length of the shortest division name at the start of
// r: at least 2 runes, ending in one of suffixes, no longer than maxLen (or
// longMaxLen if it ends in one of long). It returns 0 if there is none, if
// the first candidate is disqualified by notDivision, or if a digit, 号 or
// a rune of stop comes first.
func segment(r []rune, suffixes, long, notDivision []string, stop string, maxLen, longMaxLen int) int {
	for i := 0; i < len(r) && i < longMaxLen; i++ {
		if r[i] == '号' || unicode.IsDigit(r[i]) {
			return 0
		}
		if i == 0 {
			continue // a division name has at least 2 runes
		}
		seg := r[:i+1]
		if !hasAnySuffix(seg, suffixes) {
			if strings.ContainsRune(stop, r[i]) {
				return 0
			}
			continue
		}
		if hasAnySuffix(seg, notDivision) {
			return 0
		}
		if len(seg) > maxLen && !hasAnySuffix(seg, long) {
			return 0
		}
		return len(seg)
	}
	return 0
}

func hasPrefixRunes(r, prefix []rune) bool {
	if len(r) < len(prefix) {
		return false
	}
	for i := range prefix {
		if r[i] != prefix[i] {
			return false
		}
	}
	return true
}

func hasAnySuffix(r []rune, suffixes []string) bool {
	for _, s := range suffixes {
		if hasSuffixString(r, s) {
			return true
		}
	}
	return false
}

// hasSuffixString reports whether r ends with the runes of s, without
// converting s to a rune slice.
func hasSuffixString(r []rune, s string) bool {
	i := len(r)
	for s != "" {
		c, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
		i--
		if i < 0 || r[i] != c {
			return false
		}
	}
	return true
}
