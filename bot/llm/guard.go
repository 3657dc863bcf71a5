package llm

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var (
	// ErrNotGrounded means the reply is not backed by the passages: the
	// model said NoAnswer, cited nothing, or cited a passage that does not
	// exist.
	ErrNotGrounded = errors.New("llm: answer not grounded in the passages")
	// ErrUnsafePromise means the reply mentions money (a refund,
	// compensation, a voucher, an amount, ...) that no cited passage
	// mentions.
	ErrUnsafePromise = errors.New("llm: answer promises money the cited passages do not offer")
)

// citeRE matches a citation marker and the spaces before it, so removing
// it leaves "within 7 days." rather than "within 7 days .". Models also
// write full-width brackets (【1】, ［1］) and lists ([1, 2], [1、2]).
// At most three digits, so an order number in brackets is not a citation.
var citeRE = regexp.MustCompile(`\s*[\[【［]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】］]`)

// check turns a raw reply into an Answer, or says why it must not be shown.
func check(reply string, passages []Passage) (Answer, error) {
	reply = strings.TrimSpace(reply)
	// Anywhere, not only exactly: "NO_ANSWER." or "NO_ANSWER [1]" mean the
	// same, and a reply mixing prose with the token is not trustworthy.
	if strings.Contains(strings.ToUpper(reply), NoAnswer) {
		return Answer{}, fmt.Errorf("%w: the model found no answer in the passages", ErrNotGrounded)
	}

	var cited []Passage
	var ids []string
	seenN, seenID := map[int]bool{}, map[string]bool{}
	for _, m := range citeRE.FindAllStringSubmatch(reply, -1) {
		for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
			n, _ := strconv.Atoi(strings.TrimSpace(f))
			if n < 1 || n > len(passages) {
				return Answer{}, fmt.Errorf("%w: cites [%d] but there are %d passages", ErrNotGrounded, n, len(passages))
			}
			if seenN[n] {
				continue
			}
			seenN[n] = true
			cited = append(cited, passages[n-1])
			if id := passages[n-1].ID; !seenID[id] {
				seenID[id] = true
				ids = append(ids, id)
			}
		}
	}
	if len(cited) == 0 {
		return Answer{}, fmt.Errorf("%w: the reply cites no passage", ErrNotGrounded)
	}

	text := strings.TrimSpace(citeRE.ReplaceAllString(reply, ""))
	if text == "" {
		return Answer{}, fmt.Errorf("%w: the reply is only citations", ErrNotGrounded)
	}
	// Checked on what the customer will read; the markers are gone.
	if c := unsupported(text, cited); c != "" {
		return Answer{}, fmt.Errorf("%w: %s is not in the cited passages", ErrUnsafePromise, c)
	}
	return Answer{Text: text, Citations: ids}, nil
}

// moneyConcepts are the promises a bot must not make on its own. Each is
// matched by any of its words (lower-case substrings) in either language,
// so an answer saying 退款 is backed by a passage saying "refund". The
// check ignores negation: "我们无法退款" also needs a passage about
// refunds. That is deliberate; a false alarm only costs a fallback to the
// FAQ answer, a missed one costs money.
var moneyConcepts = []struct {
	name  string
	words []string
}{
	{"refund", []string{"退款", "退钱", "退费", "退还", "返还", "refund", "money back", "reimburs"}},
	{"compensation", []string{"赔偿", "补偿", "赔付", "理赔", "赔钱", "compensat", "indemn"}},
	{"cash back", []string{"返现", "返利", "返钱", "cashback", "cash back", "rebate"}},
	{"red packet", []string{"红包", "red packet", "red envelope", "hongbao"}},
	{"voucher", []string{"券", "礼品卡", "voucher", "coupon", "gift card"}}, // 券 covers 优惠券, 代金券, 满减券
	{"free order", []string{"免单", "free of charge", "for free"}},
}

// amountREs find amounts of money; group 1 is the number. An amount is its
// own concept, "amount 20": a passage offering compensation does not back
// an answer offering 20元 of it unless the passage says 20 too.
var amountREs = []*regexp.Regexp{
	regexp.MustCompile(`[¥￥$]\s*(\d[\d,]*(?:\.\d+)?)`),
	regexp.MustCompile(`(?:rmb|cny|usd)\s*(\d[\d,]*(?:\.\d+)?)`),
	regexp.MustCompile(`(\d[\d,]*(?:\.\d+)?)\s*(?:元|块|rmb|cny|yuan|dollar|usd)`),
	// Chinese numerals only with 元 or 块钱: "两块" alone is often "two pieces".
	regexp.MustCompile(`([零一二两三四五六七八九十百千万]+)\s*(?:元|块钱)`),
}

// concepts lists the money concepts in text, in table order, then its
// amounts in text order.
func concepts(text string) []string {
	text = strings.ToLower(text)
	var out []string
	for _, c := range moneyConcepts {
		for _, w := range c.words {
			if strings.Contains(text, w) {
				out = append(out, c.name)
				break
			}
		}
	}
	for _, re := range amountREs {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			out = append(out, "amount "+normalizeAmount(m[1]))
		}
	}
	return out
}

// normalizeAmount makes "¥20", "20.00元" and "20 yuan" the same amount.
// Chinese numerals are kept as written.
func normalizeAmount(s string) string {
	s = strings.ReplaceAll(s, ",", "")
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return s
}

// unsupported returns the first money concept of answer that no cited
// passage mentions (in its title or text), or "" if there is none.
func unsupported(answer string, cited []Passage) string {
	backed := map[string]bool{}
	for _, p := range cited {
		for _, c := range concepts(p.Title + "\n" + p.Text) {
			backed[c] = true
		}
	}
	for _, c := range concepts(answer) {
		if !backed[c] {
			return c
		}
	}
	return ""
}
