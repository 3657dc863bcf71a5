package sentiment

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"kefu/bot/textfeat"
)

// Lexicon scores text by counting sentiment words, with negation ("不好吃"
// read as 不 + 好吃 flips it) and contrast ("…但是质量差": what follows
// 但是 counts more). It needs no training and is the fallback when a
// model has never seen a phrase.
type Lexicon struct {
	words    map[string]float64 // polarity weight: >0 positive, <0 negative, 0 neutral
	negators map[string]bool
	contrast map[string]bool
	maxLen   int // longest entry, in runes
}

// ParseLexicon reads the lexicon format documented at the top of
// bot/shipped/data/sentiment_lexicon.txt: lines of "+ word", "-2 word",
// "0 word" (neutral, to stop a shorter entry matching inside it),
// "! negator" or "^ contrast"; "#" starts a comment.
func ParseLexicon(r io.Reader) (*Lexicon, error) {
	lx := &Lexicon{words: map[string]float64{}, negators: map[string]bool{}, contrast: map[string]bool{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		kind, word, ok := strings.Cut(s, " ")
		word = strings.ToLower(strings.TrimSpace(word))
		if !ok || word == "" {
			return nil, fmt.Errorf("sentiment lexicon line %d: want \"<kind> <word>\"", line)
		}
		switch {
		case kind == "!":
			lx.negators[word] = true
		case kind == "^":
			lx.contrast[word] = true
		case kind == "+" || kind == "-":
			lx.words[word] = map[string]float64{"+": 1, "-": -1}[kind]
		default:
			w, err := strconv.ParseFloat(kind, 64)
			if err != nil {
				return nil, fmt.Errorf("sentiment lexicon line %d: bad weight %q", line, kind)
			}
			lx.words[word] = w
		}
		if n := utf8.RuneCountInString(word); n > lx.maxLen {
			lx.maxLen = n
		}
	}
	return lx, sc.Err()
}

// Score returns the positive and negative evidence in text (both ≥ 0).
// The text is scanned left to right taking the longest entry at each
// position; a negator flips the next sentiment word within three
// characters, and punctuation ends a negator's reach.
func (lx *Lexicon) Score(text string) (pos, neg float64) {
	rs := []rune(strings.ToLower(text))
	negateUntil := -1
	boost := 1.0
	for i := 0; i < len(rs); {
		r := textfeat.Fold(rs[i])
		if !textfeat.IsCJK(r) && !isLetter(r) {
			negateUntil = -1
			i++
			continue
		}
		matched := false
		for n := min(lx.maxLen, len(rs)-i); n >= 1; n-- {
			w := string(rs[i : i+n])
			if lx.contrast[w] {
				// What follows a "but" usually carries the verdict.
				boost = 1.5
				pos *= 0.7
				neg *= 0.7
			} else if lx.negators[w] {
				if v, ok := lx.words[w]; !ok || v == 0 {
					negateUntil = i + n + 3
				}
			}
			if v, ok := lx.words[w]; ok {
				if i < negateUntil {
					v = -v
					negateUntil = -1
				}
				v *= boost
				if v > 0 {
					pos += v
				} else {
					neg -= v
				}
				i += n
				matched = true
				break
			}
			if lx.negators[w] || lx.contrast[w] {
				i += n
				matched = true
				break
			}
		}
		if !matched {
			i++
		}
	}
	return pos, neg
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }
