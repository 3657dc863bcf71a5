package rules

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"kefu"
	"kefu/calendar"
)

// Limits of a rule, so that a stored rule stays cheap to evaluate per message.
const (
	maxName       = 100  // characters of a rule's name
	maxConditions = 50   // per rule
	maxActions    = 20   // per rule
	maxListItems  = 200  // keywords or values of one condition
	maxItem       = 100  // characters of one keyword or value
	maxLabel      = 40   // characters of a label, as for labels set by agents
	maxLabels     = 20   // labels of one add_labels action
	maxID         = 128  // characters of a team, SLA policy or canned reply id
	maxNote       = 2000 // characters of a note
	maxURL        = 2000 // characters of a webhook URL
	maxAmount     = 1e12 // yuan, either sign
)

// field and op are the parsed forms of Condition.Field and Condition.Op.
type field uint8

const (
	fChannel field = iota + 1
	fInboxID
	fIntent
	fText
	fSentiment
	fPriority
	fLabels
	fContact
	fOrderValue
	fTimeOfDay
	fWeekday
	fBusinessHours
)

type op uint8

const (
	oEq op = iota + 1
	oNeq
	oIn
	oNotIn
	oContainsAny
	oContainsNone
	oGt
	oGte
	oLt
	oLte
	oBetween
	oIsTrue
	oIsFalse
	oExists
	oNotExists
)

var opNames = map[string]op{
	OpEq: oEq, OpNeq: oNeq, OpIn: oIn, OpNotIn: oNotIn, OpContainsAny: oContainsAny,
	OpContainsNone: oContainsNone, OpGt: oGt, OpGte: oGte, OpLt: oLt, OpLte: oLte, OpBetween: oBetween,
	OpIsTrue: oIsTrue, OpIsFalse: oIsFalse, OpExists: oExists, OpNotExists: oNotExists,
}

var (
	opsEnum     = []string{OpEq, OpNeq, OpIn, OpNotIn}
	opsKeywords = []string{OpContainsAny, OpContainsNone}
	opsContact  = []string{OpEq, OpNeq, OpIn, OpNotIn, OpExists, OpNotExists}
	opsNumber   = []string{OpEq, OpNeq, OpGt, OpGte, OpLt, OpLte, OpExists, OpNotExists}
	opsTime     = []string{OpBetween}
	opsWeekday  = []string{OpIn, OpNotIn}
	opsBool     = []string{OpIsTrue, OpIsFalse}
)

// parseField returns the parsed field named s and, for a contact attribute,
// the attribute's name.
func parseField(s string) (field, string, bool) {
	switch s {
	case FieldChannel:
		return fChannel, "", true
	case FieldInboxID:
		return fInboxID, "", true
	case FieldIntent:
		return fIntent, "", true
	case FieldText:
		return fText, "", true
	case FieldSentiment:
		return fSentiment, "", true
	case FieldPriority:
		return fPriority, "", true
	case FieldLabels:
		return fLabels, "", true
	case FieldOrderValue:
		return fOrderValue, "", true
	case FieldTimeOfDay:
		return fTimeOfDay, "", true
	case FieldWeekday:
		return fWeekday, "", true
	case FieldBusinessHours:
		return fBusinessHours, "", true
	}
	if attr, ok := strings.CutPrefix(s, ContactPrefix); ok && validAttr(attr) {
		return fContact, attr, true
	}
	return 0, "", false
}

// validAttr reports whether s can name a contact attribute: 1 to 64 bytes
// with no spaces or control characters.
func validAttr(s string) bool {
	if s == "" || len(s) > 64 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func (f field) ops() []string {
	switch f {
	case fChannel, fInboxID, fIntent, fSentiment, fPriority:
		return opsEnum
	case fText, fLabels:
		return opsKeywords
	case fContact:
		return opsContact
	case fOrderValue:
		return opsNumber
	case fTimeOfDay:
		return opsTime
	case fWeekday:
		return opsWeekday
	case fBusinessHours:
		return opsBool
	}
	return nil
}

// OpsFor returns the operators a field allows, for the console's choices; nil
// for an unknown field. The result must not be modified.
func OpsFor(fieldName string) []string {
	f, _, ok := parseField(fieldName)
	if !ok {
		return nil
	}
	return f.ops()
}

// enum returns the values a field allows, or nil when any is allowed.
func (f field) enum() []string {
	switch f {
	case fIntent:
		return kefu.Intents
	case fSentiment:
		return Sentiments
	case fPriority:
		return kefu.Priorities
	case fWeekday:
		return Weekdays
	}
	return nil
}

// cond is a compiled condition.
type cond struct {
	field    field
	op       op
	attr     string   // of a contact attribute
	str      string   // eq, neq
	list     []string // in, not_in, contains_*; keywords folded (see fold) for text
	keywords [][]byte // text: list as bytes
	cents    int64    // order.value, in fen
	from     int      // between: minutes since midnight
	to       int      //   (to < from wraps past midnight; to may be 1440)
	days     uint8    // weekday: bit 1<<time.Weekday
}

// rule is a compiled rule.
type rule struct {
	id, name  string
	any       bool
	stopAfter bool
	events    uint8 // bit 1<<index in Events
	conds     []cond
	actions   []Action
}

// Validate reports the first problem of r as an EINVALID error naming the
// field at fault, such as "name", "events", "conditions[1].value" or
// "actions[0].type". The ID is not checked: the store assigns it.
func (r Rule) Validate() error {
	_, err := compileRule(r)
	return err
}

func compileRule(r Rule) (*rule, error) {
	name := strings.TrimSpace(r.Name)
	if name == "" || utf8.RuneCountInString(name) > maxName {
		return nil, kefu.Invalid("name", "Enter a name of 1 to %d characters.", maxName)
	}
	out := &rule{id: r.ID, name: r.Name, stopAfter: r.StopAfter}
	if len(r.Events) == 0 {
		return nil, kefu.Invalid("events", "Choose at least one event.")
	}
	for _, e := range r.Events {
		i := slices.Index(Events, e)
		if i < 0 {
			return nil, kefu.Invalid("events", "There is no event %q; use %s.", e, strings.Join(Events, ", "))
		}
		out.events |= 1 << i
	}
	switch r.Match {
	case "", MatchAll:
	case MatchAny:
		out.any = true
	default:
		return nil, kefu.Invalid("match", "Use all or any.")
	}
	if len(r.Conditions) > maxConditions {
		return nil, kefu.Invalid("conditions", "Use at most %d conditions.", maxConditions)
	}
	out.conds = make([]cond, len(r.Conditions))
	for i, c := range r.Conditions {
		cc, err := compileCond(fmt.Sprintf("conditions[%d]", i), c)
		if err != nil {
			return nil, err
		}
		out.conds[i] = cc
	}
	if len(r.Actions) == 0 {
		return nil, kefu.Invalid("actions", "Add at least one action.")
	}
	if len(r.Actions) > maxActions {
		return nil, kefu.Invalid("actions", "Use at most %d actions.", maxActions)
	}
	out.actions = make([]Action, len(r.Actions))
	for i, a := range r.Actions {
		if err := validateAction(fmt.Sprintf("actions[%d]", i), a); err != nil {
			return nil, err
		}
		switch a.Type {
		case ActionSetTeam, ActionSetPriority, ActionSetSLAPolicy:
			if slices.ContainsFunc(r.Actions[:i], func(b Action) bool { return b.Type == a.Type }) {
				return nil, kefu.Invalid(fmt.Sprintf("actions[%d].type", i), "A rule can %s only once.", a.Type)
			}
		}
		a.Values = slices.Clone(a.Values)
		out.actions[i] = a
	}
	return out, nil
}

func compileCond(name string, c Condition) (cond, error) {
	f, attr, ok := parseField(c.Field)
	if !ok {
		return cond{}, kefu.Invalid(name+".field", "There is no field %q; use %s or contact.<attribute>.", c.Field, strings.Join(Fields, ", "))
	}
	o, ok := opNames[c.Op]
	if !ok {
		return cond{}, kefu.Invalid(name+".op", "There is no operator %q.", c.Op)
	}
	ops := f.ops()
	if !slices.Contains(ops, c.Op) {
		return cond{}, kefu.Invalid(name+".op", "With %s use %s.", c.Field, strings.Join(ops, ", "))
	}
	out := cond{field: f, op: o, attr: attr}
	vname := name + ".value"
	v := c.Value
	switch {
	case o == oIsTrue || o == oIsFalse || o == oExists || o == oNotExists:
		if v != nil {
			return cond{}, kefu.Invalid(vname, "Leave the value empty with %s.", c.Op)
		}

	case f == fOrderValue: // eq, neq, gt, gte, lt, lte
		x, ok := asNumber(v)
		if !ok || math.IsNaN(x) || math.Abs(x) > maxAmount {
			return cond{}, kefu.Invalid(vname, "Enter an amount in yuan, such as 199 or 99.5.")
		}
		out.cents = toCents(x)

	case o == oEq || o == oNeq:
		s, ok := v.(string)
		if !ok || strings.TrimSpace(s) == "" || utf8.RuneCountInString(s) > maxItem {
			if f == fContact {
				return cond{}, kefu.Invalid(vname, "Enter a value of 1 to %d characters; to test for no value use not_exists.", maxItem)
			}
			return cond{}, kefu.Invalid(vname, "Enter a value of 1 to %d characters.", maxItem)
		}
		if err := checkEnum(vname, f, c.Field, s); err != nil {
			return cond{}, err
		}
		out.str = s

	case o == oBetween:
		s, _ := v.(string)
		from, to, ok := parsePeriod(s)
		if !ok {
			return cond{}, kefu.Invalid(vname, "Enter a period such as 09:00-18:00, or 22:00-08:00 for a night; start and end differ.")
		}
		out.from, out.to = from, to

	default: // in, not_in, contains_any, contains_none: lists
		list, ok := asList(v)
		if !ok || len(list) == 0 {
			return cond{}, kefu.Invalid(vname, "Enter a list of 1 to %d values.", maxListItems)
		}
		if len(list) > maxListItems {
			return cond{}, kefu.Invalid(vname, "Use at most %d values.", maxListItems)
		}
		limit := maxItem
		if f == fLabels {
			limit = maxLabel
		}
		out.list = make([]string, 0, len(list))
		for _, s := range list {
			s = strings.TrimSpace(s)
			if s == "" || utf8.RuneCountInString(s) > limit {
				return cond{}, kefu.Invalid(vname, "Each value has 1 to %d characters.", limit)
			}
			if err := checkEnum(vname, f, c.Field, s); err != nil {
				return cond{}, err
			}
			switch f {
			case fText:
				s = fold(s)
			case fWeekday:
				out.days |= 1 << slices.Index(Weekdays, s)
			}
			if !slices.Contains(out.list, s) {
				out.list = append(out.list, s)
				if f == fText {
					out.keywords = append(out.keywords, []byte(s))
				}
			}
		}
	}
	return out, nil
}

// checkEnum reports whether s is a value field f allows.
func checkEnum(vname string, f field, fieldName, s string) error {
	if enum := f.enum(); enum != nil && !slices.Contains(enum, s) {
		return kefu.Invalid(vname, "There is no %s %q; use %s.", fieldName, s, strings.Join(enum, ", "))
	}
	return nil
}

// asList returns v as a list of strings: a []string, or a []any of strings
// as decoded from JSON.
func asList(v any) ([]string, bool) {
	switch v := v.(type) {
	case []string:
		return v, true
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// asNumber returns v as a number: any Go integer or float, or a json.Number.
func asNumber(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case float32:
		return float64(v), true
	case int:
		return float64(v), true
	case int8:
		return float64(v), true
	case int16:
		return float64(v), true
	case int32:
		return float64(v), true
	case int64:
		return float64(v), true
	case uint:
		return float64(v), true
	case uint8:
		return float64(v), true
	case uint16:
		return float64(v), true
	case uint32:
		return float64(v), true
	case uint64:
		return float64(v), true
	case json.Number:
		x, err := v.Float64()
		return x, err == nil
	}
	return 0, false
}

// toCents rounds an amount in yuan to fen, so that 99.9 from a form and
// 9990/100.0 from an order compare equal.
func toCents(x float64) int64 { return int64(math.Round(x * 100)) }

// parsePeriod parses "HH:MM-HH:MM" into minutes since midnight. The end may
// be 24:00 and may come before the start (the period wraps past midnight);
// it may not equal the start.
func parsePeriod(s string) (from, to int, ok bool) {
	a, b, ok := strings.Cut(strings.ReplaceAll(s, " ", ""), "-")
	if !ok {
		return 0, 0, false
	}
	from, ok1 := calendar.ParseClock(a)
	to, ok2 := calendar.ParseClock(b)
	if !ok1 || !ok2 || from == 24*60 || from == to {
		return 0, 0, false
	}
	return from, to, true
}

func validateAction(name string, a Action) error {
	switch a.Type {
	case ActionSetTeam, ActionSetSLAPolicy, ActionSendCanned:
		if a.Value == "" || len(a.Value) > maxID || strings.ContainsFunc(a.Value, unicode.IsSpace) {
			what := map[string]string{ActionSetTeam: "team", ActionSetSLAPolicy: "SLA policy", ActionSendCanned: "canned reply"}[a.Type]
			return kefu.Invalid(name+".value", "Choose a %s.", what)
		}
	case ActionSetPriority:
		if !slices.Contains(kefu.Priorities, a.Value) {
			return kefu.Invalid(name+".value", "Use %s.", strings.Join(kefu.Priorities, ", "))
		}
	case ActionAddNote:
		if strings.TrimSpace(a.Value) == "" || utf8.RuneCountInString(a.Value) > maxNote {
			return kefu.Invalid(name+".value", "Enter a note of 1 to %d characters.", maxNote)
		}
	case ActionCallWebhook:
		u, err := url.Parse(a.Value)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(a.Value) > maxURL {
			return kefu.Invalid(name+".value", "Enter an http:// or https:// URL.")
		}
	case ActionAddLabels:
		if a.Value != "" {
			return kefu.Invalid(name+".value", "List the labels in values.")
		}
		if len(a.Values) == 0 || len(a.Values) > maxLabels {
			return kefu.Invalid(name+".values", "Add 1 to %d labels.", maxLabels)
		}
		for _, l := range a.Values {
			if l != strings.TrimSpace(l) || l == "" || utf8.RuneCountInString(l) > maxLabel {
				return kefu.Invalid(name+".values", "A label has 1 to %d characters and no spaces around it.", maxLabel)
			}
		}
		return nil
	case "":
		return kefu.Invalid(name+".type", "Choose an action.")
	default:
		return kefu.Invalid(name+".type", "There is no action %q; use %s.", a.Type, strings.Join(Actions, ", "))
	}
	if len(a.Values) > 0 {
		return kefu.Invalid(name+".values", "%s takes a single value.", a.Type)
	}
	return nil
}

// fold prepares text for keyword matching: lower case, with full-width
// letters and digits (１２３１５, ＡＢＣ) as their ASCII forms. Punctuation is
// left alone, so a Chinese message without letters (你好，在吗？) folds to
// itself.
func fold(s string) string { return string(appendFold(nil, s)) }

// appendFold appends the folded form of s to b.
func appendFold(b []byte, s string) []byte {
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
			continue
		}
		b = utf8.AppendRune(b, foldRune(r))
	}
	return b
}

func foldRune(r rune) rune {
	switch {
	case '０' <= r && r <= '９':
		return r - '０' + '0'
	case 'Ａ' <= r && r <= 'Ｚ':
		return r - 'Ａ' + 'a'
	case 'ａ' <= r && r <= 'ｚ':
		return r - 'ａ' + 'a'
	case 0x2E80 <= r && r < 0xA640, 0xAC00 <= r && r < 0xD7A4:
		return r // CJK, kana, Hangul and the like have no case: skip ToLower's table search
	}
	return unicode.ToLower(r)
}
