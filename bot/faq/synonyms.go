package faq

import (
	"encoding/gob"
	"fmt"
	"io"
	"sort"

	"kefu/bot/textfeat"
)

// Synonyms maps a term (a character or a character bigram) to terms that
// customers use in its place, learned from pairs of questions known to
// mean the same thing: when one side of a pair says X where the other
// says Y, and that happens often, Y is a synonym of X. Typos such as
// 花贝 for 花呗 and near-synonyms such as 还钱/还款 are learned this way.
type Synonyms struct {
	// Terms maps a term to its synonyms and their weights (0..1], the
	// share of pairs with the term unmatched in which the synonym stood
	// on the other side.
	Terms map[string][]Synonym
}

// Synonym is one learned replacement and how much a query term passes to
// it.
type Synonym struct {
	Term   string
	Weight float64
}

// SynonymOptions tune learning.
type SynonymOptions struct {
	MinCount  int     // a pair must be seen this often; 0 means 3
	MinWeight float64 // and make up this share; 0 means 0.05
	MaxPer    int     // keep at most this many per term; 0 means 5
	// Scale multiplies weights when queries are expanded; 0 means 0.5.
	Scale float64
}

// LearnSynonyms learns synonyms from question pairs with the same meaning.
func LearnSynonyms(pairs [][2]string, opts SynonymOptions) *Synonyms {
	if opts.MinCount == 0 {
		opts.MinCount = 3
	}
	if opts.MinWeight == 0 {
		opts.MinWeight = 0.05
	}
	if opts.MaxPer == 0 {
		opts.MaxPer = 5
	}
	if opts.Scale == 0 {
		opts.Scale = 0.5
	}
	co := map[string]map[string]int{} // unmatched term -> other side's unmatched term -> count
	unmatched := map[string]int{}
	learn := func(a, b map[string]bool) {
		var onlyB []string
		for t := range b {
			if !a[t] {
				onlyB = append(onlyB, t)
			}
		}
		for t := range a {
			if b[t] {
				continue
			}
			unmatched[t]++
			row := co[t]
			if row == nil {
				row = map[string]int{}
				co[t] = row
			}
			for _, u := range onlyB {
				// Only like with like: a character for a character,
				// a bigram for a bigram.
				if isBigram(t) == isBigram(u) {
					row[u]++
				}
			}
		}
	}
	for _, p := range pairs {
		a, b := termSet(p[0]), termSet(p[1])
		learn(a, b)
		learn(b, a)
	}
	syn := &Synonyms{Terms: map[string][]Synonym{}}
	for t, row := range co {
		var list []Synonym
		for u, c := range row {
			w := float64(c) / float64(unmatched[t])
			if c >= opts.MinCount && w >= opts.MinWeight {
				list = append(list, Synonym{Term: u, Weight: w * opts.Scale})
			}
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Weight != list[j].Weight {
				return list[i].Weight > list[j].Weight
			}
			return list[i].Term < list[j].Term
		})
		if len(list) > opts.MaxPer {
			list = list[:opts.MaxPer]
		}
		if len(list) > 0 {
			syn.Terms[t] = list
		}
	}
	return syn
}

func isBigram(t string) bool { return len([]rune(t)) >= 2 && textfeat.IsCJK([]rune(t)[0]) }

// termSet is the set of characters and bigrams of s.
func termSet(s string) map[string]bool {
	u := textfeat.Chars(s)
	set := map[string]bool{}
	for _, t := range u {
		set[t] = true
	}
	for _, t := range bigrams(u) {
		set[t] = true
	}
	return set
}

// expand adds the synonyms of the query's terms that the query does not
// already contain, with their weights.
func (s *Synonyms) expand(units []string, uni, bi map[string]float64) {
	present := map[string]bool{}
	for _, u := range units {
		present[u] = true
	}
	bis := bigrams(units)
	for _, b := range bis {
		present[b] = true
	}
	add := func(terms []string, into map[string]float64, other map[string]float64) {
		for _, t := range terms {
			for _, sy := range s.Terms[t] {
				if present[sy.Term] {
					continue
				}
				if isBigram(sy.Term) {
					other[sy.Term] += sy.Weight
				} else {
					into[sy.Term] += sy.Weight
				}
			}
		}
	}
	add(units, uni, bi)
	add(bis, uni, bi)
}

// Len is the number of terms with synonyms.
func (s *Synonyms) Len() int { return len(s.Terms) }

// Save writes the synonyms (gob).
func (s *Synonyms) Save(w io.Writer) error { return gob.NewEncoder(w).Encode(s) }

// LoadSynonyms reads synonyms written by Save.
func LoadSynonyms(r io.Reader) (*Synonyms, error) {
	var s Synonyms
	if err := gob.NewDecoder(r).Decode(&s); err != nil {
		return nil, fmt.Errorf("faq: load synonyms: %w", err)
	}
	return &s, nil
}
