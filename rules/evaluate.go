package rules

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"kefu"
)

// Set is a compiled list of rules, ready to be evaluated per message without
// parsing or allocating anything beyond the matches themselves. It is safe
// for concurrent use.
type Set struct {
	byEvent [3][]*rule // enabled rules evaluated on Events[i], in order
	text    [3]bool    // whether any of them tests text
	needs   [3]Needs   // the facts they read
}

// Needs says which of the costlier facts the rules of an event read, so
// that a caller gathers only those on its hot path.
type Needs struct {
	Rules         bool // any rule is evaluated on the event at all
	Sentiment     bool
	Contact       bool // contact attributes, vip_tier among them
	OrderValue    bool
	BusinessHours bool
}

// Needs returns what the rules evaluated on an event read.
func (s *Set) Needs(event string) Needs {
	i := slices.Index(Events, event)
	if i < 0 {
		return Needs{}
	}
	return s.needs[i]
}

// Compile validates the enabled rules and compiles them into a Set, in
// evaluation order: by Position, then by ID. Disabled rules are left out
// unchecked. The first invalid rule (in the order given) fails the whole
// Compile, with an EINVALID error whose field is prefixed with the rule's
// index, such as "rules[3].conditions[0].op".
func Compile(rules []Rule) (*Set, error) {
	return compileSet(rules, true)
}

// compileSet compiles the enabled rules. Unless strict, invalid rules are
// left out rather than failing.
func compileSet(rules []Rule, strict bool) (*Set, error) {
	type entry struct {
		pos int
		r   *rule
	}
	var list []entry
	for i, r := range rules {
		if !r.Enabled {
			continue
		}
		cr, err := compileRule(r)
		if err != nil {
			if !strict {
				continue
			}
			var ke *kefu.Error
			if errors.As(err, &ke) {
				return nil, kefu.Invalid(fmt.Sprintf("rules[%d].%s", i, ke.Field), "Rule %q: %s", r.Name, ke.Message)
			}
			return nil, err
		}
		list = append(list, entry{r.Position, cr})
	}
	slices.SortStableFunc(list, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.pos, b.pos), strings.Compare(a.r.id, b.r.id))
	})
	s := &Set{}
	for _, e := range list {
		for i := range s.byEvent {
			if e.r.events&(1<<i) != 0 {
				s.byEvent[i] = append(s.byEvent[i], e.r)
				s.text[i] = s.text[i] || slices.ContainsFunc(e.r.conds, func(c cond) bool { return c.field == fText })
				n := &s.needs[i]
				n.Rules = true
				for _, c := range e.r.conds {
					n.Sentiment = n.Sentiment || c.field == fSentiment
					n.Contact = n.Contact || c.field == fContact
					n.OrderValue = n.OrderValue || c.field == fOrderValue
					n.BusinessHours = n.BusinessHours || c.field == fBusinessHours
				}
			}
		}
	}
	return s, nil
}

// Evaluate returns the enabled rules that match f, in evaluation order
// (Position, then ID), among those evaluated on f.Event. It stops after a
// matching rule with StopAfter. An invalid rule never matches; validate rules
// when they are saved. Evaluate compiles the rules on every call: per
// message, Compile once and use Set.Evaluate.
func Evaluate(rules []Rule, f Facts) []Match {
	s, _ := compileSet(rules, false)
	return s.Evaluate(f)
}

// Evaluate returns the rules of s that match f, as the function Evaluate
// does. It returns nil when none matches.
func (s *Set) Evaluate(f Facts) []Match {
	ev := slices.Index(Events, f.Event)
	if s == nil || ev < 0 {
		return nil
	}
	st := state{f: &f}
	var buf [512]byte // the folded text of most messages fits
	if s.text[ev] {
		st.text = appendFold(buf[:0], f.Text)
	}
	var out []Match
	for _, r := range s.byEvent[ev] {
		if !r.matches(&st) {
			continue
		}
		if out == nil {
			out = make([]Match, 0, 4)
		}
		out = append(out, Match{RuleID: r.id, RuleName: r.name, Actions: r.actions})
		if r.stopAfter {
			break
		}
	}
	return out
}

// state is one evaluation's facts. Evaluation only reads it, which keeps it
// and the buffer of text on the stack.
type state struct {
	f    *Facts
	text []byte // f.Text folded, if a rule tests text
}

func (r *rule) matches(st *state) bool {
	if len(r.conds) == 0 {
		return true
	}
	for i := range r.conds {
		held, _ := r.conds[i].eval(st)
		if held == r.any {
			return held // the first condition that holds for any, fails for all
		}
	}
	return !r.any
}

// eval reports whether c holds for the facts of st, and whether the field
// was present.
func (c *cond) eval(st *state) (held, present bool) {
	f := st.f
	switch c.field {
	case fChannel:
		return c.compare(f.Channel), true
	case fInboxID:
		return c.compare(f.InboxID), true
	case fIntent:
		return c.compare(f.Intent), true
	case fSentiment:
		return c.compare(f.Sentiment), true
	case fPriority:
		return c.compare(f.Priority), true
	case fText:
		found := findKeyword(st.text, c.keywords) >= 0
		return found == (c.op == oContainsAny), true
	case fLabels:
		found := slices.ContainsFunc(f.Labels, func(l string) bool { return inFold(l, c.list) })
		return found == (c.op == oContainsAny), true
	case fContact:
		v := f.Contact[c.attr]
		switch {
		case c.op == oExists || c.op == oNotExists:
			return (v != "") == (c.op == oExists), v != ""
		case v == "":
			return false, false
		}
		return c.compare(v), true
	case fOrderValue:
		if c.op == oExists || c.op == oNotExists {
			return (f.OrderValue != nil) == (c.op == oExists), f.OrderValue != nil
		}
		if f.OrderValue == nil {
			return false, false
		}
		v := toCents(*f.OrderValue)
		switch c.op {
		case oEq:
			return v == c.cents, true
		case oNeq:
			return v != c.cents, true
		case oGt:
			return v > c.cents, true
		case oGte:
			return v >= c.cents, true
		case oLt:
			return v < c.cents, true
		case oLte:
			return v <= c.cents, true
		}
	case fTimeOfDay:
		if f.Now.IsZero() {
			return false, false
		}
		h, m, _ := f.Now.Clock()
		return inPeriod(h*60+m, c.from, c.to), true
	case fWeekday:
		if f.Now.IsZero() {
			return false, false
		}
		return (c.days&(1<<f.Now.Weekday()) != 0) == (c.op == oIn), true
	case fBusinessHours:
		return f.BusinessHours == (c.op == oIsTrue), true
	}
	return false, false
}

// compare applies eq, neq, in or not_in to v, ignoring case.
func (c *cond) compare(v string) bool {
	switch c.op {
	case oEq:
		return strings.EqualFold(v, c.str)
	case oNeq:
		return !strings.EqualFold(v, c.str)
	case oIn:
		return inFold(v, c.list)
	case oNotIn:
		return !inFold(v, c.list)
	}
	return false
}

func inFold(v string, list []string) bool {
	for _, s := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// findKeyword returns the index of the first of keywords that text
// contains, or -1.
func findKeyword(text []byte, keywords [][]byte) int {
	for i, k := range keywords {
		if bytes.Contains(text, k) {
			return i
		}
	}
	return -1
}

// inPeriod reports whether minute m of the day is within [from, to),
// wrapping past midnight when to < from.
func inPeriod(m, from, to int) bool {
	if from < to {
		return from <= m && m < to
	}
	return m >= from || m < to
}

// ConditionResult tells how one condition of a rule fared on sample facts,
// for the console's "test this rule". The console shows Field, Op and the
// condition's value in its own language; Why says the same in English.
type ConditionResult struct {
	Index  int    `json:"index"` // in Rule.Conditions
	Field  string `json:"field"`
	Op     string `json:"op"`
	Held   bool   `json:"held"`
	Absent bool   `json:"absent,omitempty"` // the field had no value in the facts
	// Actual is the value tested, formatted: "webchat", "128.00", "23:10",
	// "saturday", "true", the labels joined by ", ", or for text the keyword
	// found ("" if none). Empty when Absent.
	Actual string `json:"actual,omitempty"`
	Why    string `json:"why"` // e.g. `order.value gt 100: does not hold (no value)`
}

// Preview evaluates the conditions of r on f and reports whether r matches
// and how each condition fared. Unlike Evaluate it ignores Enabled and
// Events, and it evaluates every condition even when an earlier one already
// decided the match. It returns r's validation error if r is invalid.
func Preview(r Rule, f Facts) (matched bool, why []ConditionResult, err error) {
	cr, err := compileRule(r)
	if err != nil {
		return false, nil, err
	}
	st := state{f: &f, text: appendFold(nil, f.Text)}
	why = make([]ConditionResult, len(cr.conds))
	anyHeld, allHeld := false, true
	for i := range cr.conds {
		c := &cr.conds[i]
		held, present := c.eval(&st)
		anyHeld, allHeld = anyHeld || held, allHeld && held
		res := ConditionResult{Index: i, Field: r.Conditions[i].Field, Op: r.Conditions[i].Op, Held: held, Absent: !present}
		if present {
			res.Actual = c.actual(&st)
		}
		verdict := "holds"
		if !held {
			verdict = "does not hold"
		}
		res.Why = fmt.Sprintf("%s %s", res.Field, res.Op)
		if v := r.Conditions[i].Value; v != nil {
			res.Why += " " + formatValue(v)
		}
		res.Why += ": " + verdict + " (" + c.describe(&st, present, res.Actual) + ")"
		why[i] = res
	}
	matched = len(cr.conds) == 0 || (cr.any && anyHeld) || (!cr.any && allHeld)
	return matched, why, nil
}

// actual formats the value of c's field in the facts.
func (c *cond) actual(st *state) string {
	f := st.f
	switch c.field {
	case fChannel:
		return f.Channel
	case fInboxID:
		return f.InboxID
	case fIntent:
		return f.Intent
	case fSentiment:
		return f.Sentiment
	case fPriority:
		return f.Priority
	case fText:
		if i := findKeyword(st.text, c.keywords); i >= 0 {
			return c.list[i]
		}
		return ""
	case fLabels:
		return strings.Join(f.Labels, ", ")
	case fContact:
		return f.Contact[c.attr]
	case fOrderValue:
		return strconv.FormatFloat(float64(toCents(*f.OrderValue))/100, 'f', 2, 64)
	case fTimeOfDay:
		return f.Now.Format("15:04")
	case fWeekday:
		return Weekdays[f.Now.Weekday()]
	case fBusinessHours:
		return strconv.FormatBool(f.BusinessHours)
	}
	return ""
}

// describe says in English what the facts held for c.
func (c *cond) describe(st *state, present bool, actual string) string {
	if !present {
		switch c.field {
		case fOrderValue:
			return "no order value"
		case fContact:
			return "the contact has no " + c.attr
		case fTimeOfDay, fWeekday:
			return "no time given"
		}
		return "no value"
	}
	switch c.field {
	case fText:
		if actual == "" {
			return "no keyword found"
		}
		return fmt.Sprintf("found %q", actual)
	case fLabels:
		if len(st.f.Labels) == 0 {
			return "no labels"
		}
		return "labels are " + actual
	case fOrderValue:
		return "order value is " + actual
	case fTimeOfDay:
		return "time is " + actual
	case fWeekday:
		return "day is " + actual
	case fBusinessHours:
		if st.f.BusinessHours {
			return "within business hours"
		}
		return "outside business hours"
	}
	return "value is " + strconv.Quote(actual)
}

// formatValue formats a condition's value as JSON, without escaping HTML.
func formatValue(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSpace(b.String())
}
