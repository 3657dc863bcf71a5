package rules

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"kefu"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at returns a Shanghai time on the week of Monday 2025-06-02.
func at(weekday time.Weekday, hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", "2025-06-01 "+hhmm, shanghai) // a Sunday
	if err != nil {
		panic(err)
	}
	return t.AddDate(0, 0, int(weekday))
}

func amount(x float64) *float64 { return &x }

// facts is a typical message: a gold customer on web chat asking about
// delivery on a Tuesday afternoon.
func facts() Facts {
	return Facts{
		Event:         EventMessageReceived,
		Channel:       "webchat",
		InboxID:       "inbox-1",
		Intent:        "logistics",
		Text:          "你好，我的快递三天了还没到，订单号 SO12345",
		Sentiment:     "negative",
		Priority:      "normal",
		Labels:        []string{"物流", "VIP"},
		Contact:       map[string]string{"vip_tier": "gold", "city": "杭州", "empty": ""},
		OrderValue:    amount(299.9),
		Now:           at(time.Tuesday, "14:30"),
		BusinessHours: true,
	}
}

func TestConditions(t *testing.T) {
	noOrder := facts()
	noOrder.OrderValue = nil
	noTime := facts()
	noTime.Now = time.Time{}
	upper := facts()
	upper.Text = "I will report you to １２３１５ and leave a BAD review"
	noLabels := facts()
	noLabels.Labels = nil
	noContact := facts()
	noContact.Contact = nil
	cents := facts()
	cents.OrderValue = amount(9990 / 100.0)

	tests := []struct {
		name  string
		c     Condition
		f     Facts
		want  bool
		found bool // the field was present (Preview's Absent is its negation)
	}{
		{"channel eq", Condition{FieldChannel, OpEq, "webchat"}, facts(), true, true},
		{"channel eq ignores case", Condition{FieldChannel, OpEq, "WebChat"}, facts(), true, true},
		{"channel neq", Condition{FieldChannel, OpNeq, "webchat"}, facts(), false, true},
		{"channel in", Condition{FieldChannel, OpIn, []string{"api", "webchat"}}, facts(), true, true},
		{"channel not_in", Condition{FieldChannel, OpNotIn, []string{"api", "webchat"}}, facts(), false, true},
		{"inbox_id eq", Condition{FieldInboxID, OpEq, "inbox-1"}, facts(), true, true},
		{"inbox_id not_in", Condition{FieldInboxID, OpNotIn, []string{"inbox-2"}}, facts(), true, true},
		{"intent eq", Condition{FieldIntent, OpEq, "logistics"}, facts(), true, true},
		{"intent in", Condition{FieldIntent, OpIn, []any{"complaint", "quality"}}, facts(), false, true},
		{"intent neq", Condition{FieldIntent, OpNeq, "complaint"}, facts(), true, true},
		{"sentiment in", Condition{FieldSentiment, OpIn, []string{"angry", "negative"}}, facts(), true, true},
		{"sentiment eq", Condition{FieldSentiment, OpEq, "angry"}, facts(), false, true},
		{"priority eq", Condition{FieldPriority, OpEq, "normal"}, facts(), true, true},
		{"priority not_in", Condition{FieldPriority, OpNotIn, []string{"high", "urgent"}}, facts(), true, true},

		{"text contains_any", Condition{FieldText, OpContainsAny, []string{"快递", "物流"}}, facts(), true, true},
		{"text contains_any none found", Condition{FieldText, OpContainsAny, []string{"投诉", "退款"}}, facts(), false, true},
		{"text contains_any ignores case", Condition{FieldText, OpContainsAny, []string{"so12345"}}, facts(), true, true},
		{"text keyword ignores case", Condition{FieldText, OpContainsAny, []string{"bad Review"}}, upper, true, true},
		{"text full-width digits", Condition{FieldText, OpContainsAny, []string{"12315"}}, upper, true, true},
		{"text full-width keyword", Condition{FieldText, OpContainsAny, []string{"ＳＯ１２３４５"}}, facts(), true, true},
		{"text contains_none", Condition{FieldText, OpContainsNone, []string{"投诉", "退款"}}, facts(), true, true},
		{"text contains_none found", Condition{FieldText, OpContainsNone, []string{"快递"}}, facts(), false, true},
		{"empty text contains_none", Condition{FieldText, OpContainsNone, []string{"投诉"}}, Facts{Event: EventMessageReceived}, true, true},

		{"labels contains_any", Condition{FieldLabels, OpContainsAny, []string{"vip", "投诉"}}, facts(), true, true},
		{"labels contains_any missing", Condition{FieldLabels, OpContainsAny, []string{"投诉"}}, facts(), false, true},
		{"labels contains_none", Condition{FieldLabels, OpContainsNone, []string{"投诉"}}, facts(), true, true},
		{"no labels contains_none", Condition{FieldLabels, OpContainsNone, []string{"投诉"}}, noLabels, true, true},
		{"no labels contains_any", Condition{FieldLabels, OpContainsAny, []string{"投诉"}}, noLabels, false, true},

		{"vip_tier in", Condition{FieldVIPTier, OpIn, []string{"gold", "platinum"}}, facts(), true, true},
		{"vip_tier eq", Condition{FieldVIPTier, OpEq, "platinum"}, facts(), false, true},
		{"vip_tier neq", Condition{FieldVIPTier, OpNeq, "platinum"}, facts(), true, true},
		{"vip_tier exists", Condition{FieldVIPTier, OpExists, nil}, facts(), true, true},
		{"vip_tier not_exists", Condition{FieldVIPTier, OpNotExists, nil}, facts(), false, true},
		{"attribute eq", Condition{"contact.city", OpEq, "杭州"}, facts(), true, true},
		{"attribute not_in", Condition{"contact.city", OpNotIn, []string{"北京", "上海"}}, facts(), true, true},
		{"missing attribute eq", Condition{"contact.level", OpEq, "3"}, facts(), false, false},
		{"missing attribute neq", Condition{"contact.level", OpNeq, "3"}, facts(), false, false},
		{"missing attribute not_in", Condition{"contact.level", OpNotIn, []string{"3"}}, facts(), false, false},
		{"missing attribute exists", Condition{"contact.level", OpExists, nil}, facts(), false, false},
		{"missing attribute not_exists", Condition{"contact.level", OpNotExists, nil}, facts(), true, false},
		{"empty attribute is absent", Condition{"contact.empty", OpNotExists, nil}, facts(), true, false},
		{"nil contact", Condition{FieldVIPTier, OpIn, []string{"gold"}}, noContact, false, false},
		{"nil contact not_exists", Condition{FieldVIPTier, OpNotExists, nil}, noContact, true, false},

		{"order.value gt", Condition{FieldOrderValue, OpGt, 200}, facts(), true, true},
		{"order.value gt equal", Condition{FieldOrderValue, OpGt, 299.9}, facts(), false, true},
		{"order.value gte", Condition{FieldOrderValue, OpGte, 299.9}, facts(), true, true},
		{"order.value lt", Condition{FieldOrderValue, OpLt, 300}, facts(), true, true},
		{"order.value lte", Condition{FieldOrderValue, OpLte, 299.89}, facts(), false, true},
		{"order.value eq", Condition{FieldOrderValue, OpEq, 299.9}, facts(), true, true},
		{"order.value eq to the fen", Condition{FieldOrderValue, OpEq, 99.9}, cents, true, true},
		{"order.value neq", Condition{FieldOrderValue, OpNeq, 299.9}, facts(), false, true},
		{"order.value json.Number", Condition{FieldOrderValue, OpGte, json.Number("299.90")}, facts(), true, true},
		{"order.value exists", Condition{FieldOrderValue, OpExists, nil}, facts(), true, true},
		{"absent order.value gt", Condition{FieldOrderValue, OpGt, 0}, noOrder, false, false},
		{"absent order.value lt", Condition{FieldOrderValue, OpLt, 100}, noOrder, false, false},
		{"absent order.value eq", Condition{FieldOrderValue, OpEq, 0}, noOrder, false, false},
		{"absent order.value neq", Condition{FieldOrderValue, OpNeq, 0}, noOrder, false, false},
		{"absent order.value exists", Condition{FieldOrderValue, OpExists, nil}, noOrder, false, false},
		{"absent order.value not_exists", Condition{FieldOrderValue, OpNotExists, nil}, noOrder, true, false},

		{"time_of_day within", Condition{FieldTimeOfDay, OpBetween, "09:00-18:00"}, facts(), true, true},
		{"time_of_day outside", Condition{FieldTimeOfDay, OpBetween, "18:00-24:00"}, facts(), false, true},
		{"time_of_day no time", Condition{FieldTimeOfDay, OpBetween, "00:00-24:00"}, noTime, false, false},
		{"weekday in", Condition{FieldWeekday, OpIn, []string{"monday", "tuesday"}}, facts(), true, true},
		{"weekday not_in", Condition{FieldWeekday, OpNotIn, []string{"saturday", "sunday"}}, facts(), true, true},
		{"weekday in weekend", Condition{FieldWeekday, OpIn, []string{"saturday", "sunday"}}, facts(), false, true},
		{"weekday no time", Condition{FieldWeekday, OpNotIn, []string{"saturday"}}, noTime, false, false},
		{"business_hours is_true", Condition{FieldBusinessHours, OpIsTrue, nil}, facts(), true, true},
		{"business_hours is_false", Condition{FieldBusinessHours, OpIsFalse, nil}, facts(), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Rule{ID: "r", Name: "test", Enabled: true, Events: Events, Conditions: []Condition{tt.c},
				Actions: []Action{{Type: ActionAddLabels, Values: []string{"x"}}}}
			matched, why, err := Preview(r, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if matched != tt.want || why[0].Held != tt.want || why[0].Absent == tt.found {
				t.Errorf("matched %v, held %v, absent %v; want %v, absent %v (%s)", matched, why[0].Held, why[0].Absent, tt.want, !tt.found, why[0].Why)
			}
			if got := len(Evaluate([]Rule{r}, tt.f)) == 1; got != tt.want {
				t.Errorf("Evaluate: %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTimeOfDay(t *testing.T) {
	tests := []struct {
		period string
		now    string
		want   bool
	}{
		{"09:00-18:00", "09:00", true},
		{"09:00-18:00", "08:59", false},
		{"09:00-18:00", "17:59", true},
		{"09:00-18:00", "18:00", false}, // the end is exclusive
		{"22:00-08:00", "21:59", false},
		{"22:00-08:00", "22:00", true},
		{"22:00-08:00", "23:59", true},
		{"22:00-08:00", "00:00", true},
		{"22:00-08:00", "07:59", true},
		{"22:00-08:00", "08:00", false},
		{"22:00-08:00", "12:00", false},
		{"18:00-24:00", "23:59", true},
		{"18:00-24:00", "00:00", false},
		{"00:00-24:00", "00:00", true},
		{"23:30-00:30", "00:10", true},
		{"12:00 - 13:30", "13:00", true}, // spaces allowed
	}
	for _, tt := range tests {
		t.Run(tt.period+"@"+tt.now, func(t *testing.T) {
			f := Facts{Event: EventMessageReceived, Now: at(time.Wednesday, tt.now)}
			r := Rule{Name: "night", Events: Events, Conditions: []Condition{{FieldTimeOfDay, OpBetween, tt.period}},
				Actions: []Action{{Type: ActionSetPriority, Value: "high"}}}
			got, _, err := Preview(r, f)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestWallClock checks that time_of_day and weekday read Now's own zone: 00:30
// on Saturday in Shanghai is Friday 16:30 in UTC.
func TestWallClock(t *testing.T) {
	now := at(time.Saturday, "00:30")
	r := Rule{Name: "weekend night", Events: Events, Conditions: []Condition{
		{FieldWeekday, OpIn, []string{"saturday", "sunday"}},
		{FieldTimeOfDay, OpBetween, "22:00-08:00"},
	}, Actions: []Action{{Type: ActionAddNote, Value: "夜间 / night"}}}
	for _, tt := range []struct {
		now  time.Time
		want bool
	}{{now, true}, {now.UTC(), false}} {
		got, why, _ := Preview(r, Facts{Now: tt.now})
		if got != tt.want {
			t.Errorf("%v: got %v, want %v (%v)", tt.now, got, tt.want, why)
		}
	}
}

func TestMatchAllAny(t *testing.T) {
	yes := Condition{FieldChannel, OpEq, "webchat"}
	no := Condition{FieldChannel, OpEq, "api"}
	tests := []struct {
		match string
		conds []Condition
		want  bool
	}{
		{"", []Condition{yes, yes}, true},
		{MatchAll, []Condition{yes, no}, false},
		{MatchAll, []Condition{no, yes}, false},
		{MatchAny, []Condition{no, yes}, true},
		{MatchAny, []Condition{no, no}, false},
		{MatchAny, []Condition{yes}, true},
		{MatchAll, nil, true},
		{MatchAny, nil, true},
	}
	for i, tt := range tests {
		r := Rule{ID: "r", Name: "r", Enabled: true, Events: Events, Match: tt.match, Conditions: tt.conds,
			Actions: []Action{{Type: ActionAddNote, Value: "n"}}}
		got := len(Evaluate([]Rule{r}, facts())) == 1
		prev, _, err := Preview(r, facts())
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want || prev != tt.want {
			t.Errorf("%d: match %q: Evaluate %v, Preview %v, want %v", i, tt.match, got, prev, tt.want)
		}
	}
}

func labelRule(id string, pos int, label string) Rule {
	return Rule{ID: id, Name: "rule " + id, Enabled: true, Events: []string{EventMessageReceived}, Position: pos,
		Actions: []Action{{Type: ActionAddLabels, Values: []string{label}}}}
}

func ids(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.RuleID)
	}
	return out
}

func TestEvaluateOrder(t *testing.T) {
	stop := labelRule("b", 1, "b")
	stop.StopAfter = true
	stopNoMatch := labelRule("a2", 1, "a2")
	stopNoMatch.StopAfter = true
	stopNoMatch.Conditions = []Condition{{FieldChannel, OpEq, "api"}}
	disabled := labelRule("0", 0, "0")
	disabled.Enabled = false
	disabled.Name = "" // disabled rules are not even validated
	created := labelRule("c", 0, "c")
	created.Events = []string{EventConversationCreated}
	invalid := labelRule("x", 0, "x")
	invalid.Actions = nil

	tests := []struct {
		name  string
		rules []Rule
		event string
		want  []string
	}{
		{"position then id", []Rule{labelRule("z", 2, "z"), labelRule("b", 1, "b"), labelRule("a", 1, "a")}, EventMessageReceived, []string{"a", "b", "z"}},
		{"stop after", []Rule{labelRule("z", 2, "z"), stop, labelRule("a", 1, "a")}, EventMessageReceived, []string{"a", "b"}},
		{"stop after only when matched", []Rule{labelRule("z", 2, "z"), stopNoMatch, labelRule("a", 1, "a")}, EventMessageReceived, []string{"a", "z"}},
		{"disabled", []Rule{disabled, labelRule("a", 1, "a")}, EventMessageReceived, []string{"a"}},
		{"other event", []Rule{created, labelRule("a", 1, "a")}, EventMessageReceived, []string{"a"}},
		{"this event", []Rule{created, labelRule("a", 1, "a")}, EventConversationCreated, []string{"c"}},
		{"unknown event", []Rule{labelRule("a", 1, "a")}, "resolved", nil},
		{"invalid rule never matches", []Rule{invalid, labelRule("a", 1, "a")}, EventMessageReceived, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := facts()
			f.Event = tt.event
			if got := ids(Evaluate(tt.rules, f)); !slices.Equal(got, tt.want) {
				t.Errorf("Evaluate: %v, want %v", got, tt.want)
			}
		})
	}

	if _, err := Compile([]Rule{labelRule("a", 1, "a"), invalid}); kefu.ErrorField(err) != "rules[1].actions" {
		t.Errorf("Compile of an invalid rule: %v", err)
	}
	s, err := Compile([]Rule{disabled, stop, labelRule("a", 1, "a")})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(s.Evaluate(facts())); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Set.Evaluate: %v", got)
	}
}

func TestMerge(t *testing.T) {
	m := func(name string, actions ...Action) Match {
		return Match{RuleID: "id-" + name, RuleName: name, Actions: actions}
	}
	team := func(id string) Action { return Action{Type: ActionSetTeam, Value: id} }
	prio := func(p string) Action { return Action{Type: ActionSetPriority, Value: p} }
	sla := func(id string) Action { return Action{Type: ActionSetSLAPolicy, Value: id} }
	labels := func(l ...string) Action { return Action{Type: ActionAddLabels, Values: l} }

	tests := []struct {
		name    string
		matches []Match
		want    Outcome
	}{
		{"none", nil, Outcome{}},
		{"first team and sla win", []Match{m("a", team("t1"), sla("s1")), m("b", team("t2"), sla("s2"))},
			Outcome{TeamID: "t1", SLAPolicyID: "s1", Rules: []string{"a", "b"}, RuleIDs: []string{"id-a", "id-b"}}},
		{"a rule without a team leaves it to later ones", []Match{m("a", labels("x")), m("b", team("t2"))},
			Outcome{TeamID: "t2", Labels: []string{"x"}, Rules: []string{"a", "b"}, RuleIDs: []string{"id-a", "id-b"}}},
		{"highest priority wins, later", []Match{m("a", prio("high")), m("b", prio("urgent")), m("c", prio("low"))},
			Outcome{Priority: "urgent", Rules: []string{"a", "b", "c"}, RuleIDs: []string{"id-a", "id-b", "id-c"}}},
		{"highest priority wins, earlier", []Match{m("a", prio("urgent")), m("b", prio("normal"))},
			Outcome{Priority: "urgent", Rules: []string{"a", "b"}, RuleIDs: []string{"id-a", "id-b"}}},
		{"collected in order, once", []Match{
			m("a", labels("投诉", "物流"), Action{Type: ActionSendCanned, Value: "c1"}, Action{Type: ActionAddNote, Value: "n1"},
				Action{Type: ActionCallWebhook, Value: "https://x.test/a"}),
			m("b", labels("物流", "VIP"), Action{Type: ActionSendCanned, Value: "c2"}, Action{Type: ActionSendCanned, Value: "c1"},
				Action{Type: ActionAddNote, Value: "n1"}, Action{Type: ActionCallWebhook, Value: "https://x.test/a"},
				Action{Type: ActionCallWebhook, Value: "https://x.test/b"}),
		}, Outcome{Labels: []string{"投诉", "物流", "VIP"}, CannedIDs: []string{"c1", "c2"}, Notes: []string{"n1"},
			Webhooks: []string{"https://x.test/a", "https://x.test/b"}, Rules: []string{"a", "b"}, RuleIDs: []string{"id-a", "id-b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Merge(tt.matches); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	defaults := Defaults("team-complaints", "team-vip")
	for _, r := range defaults {
		if err := r.Validate(); err != nil {
			t.Fatalf("%s: %v", r.Name, err)
		}
	}
	// Stored as JSON and read back, the rules behave the same.
	b, err := json.Marshal(defaults)
	if err != nil {
		t.Fatal(err)
	}
	var stored []Rule
	if err := json.Unmarshal(b, &stored); err != nil {
		t.Fatal(err)
	}

	complaint := Outcome{TeamID: "team-complaints", Priority: "urgent", Labels: []string{"投诉"},
		Rules: []string{"投诉升级 / Complaints"}, RuleIDs: []string{DefaultComplaintsID}}
	vip := Outcome{TeamID: "team-vip", Priority: "high", Rules: []string{"VIP 客户"}, RuleIDs: []string{DefaultVIPID}}
	both := Outcome{TeamID: "team-complaints", Priority: "urgent", Labels: []string{"投诉"},
		Rules: []string{"投诉升级 / Complaints", "VIP 客户"}, RuleIDs: []string{DefaultComplaintsID, DefaultVIPID}}
	msg := func(event, text, intent, tier string) Facts {
		f := Facts{Event: event, Channel: "webchat", Text: text, Intent: intent, Priority: "normal", Now: at(time.Monday, "10:00")}
		if tier != "" {
			f.Contact = map[string]string{"vip_tier": tier}
		}
		return f
	}
	tests := []struct {
		name string
		f    Facts
		want Outcome
	}{
		{"我要投诉你们", msg(EventMessageReceived, "我要投诉你们", "", ""), complaint},
		{"12315", msg(EventMessageReceived, "I will report to 12315", "other", ""), complaint},
		{"full-width 12315", msg(EventConversationCreated, "再不处理我就打１２３１５", "", ""), complaint},
		{"intent complaint", msg(EventHandoff, "你们这服务太差了", "complaint", ""), complaint},
		{"VIP contact", msg(EventConversationCreated, "你好，在吗", "presale", "platinum"), vip},
		{"VIP tier ignores case", msg(EventHandoff, "转人工", "", "Gold"), vip},
		{"VIP rule not per message", msg(EventMessageReceived, "你好，在吗", "presale", "gold"), Outcome{}},
		{"VIP complaint", msg(EventConversationCreated, "我要给差评", "", "gold"), both},
		{"normal message", msg(EventMessageReceived, "请问什么时候发货？", "logistics", ""), Outcome{}},
		{"no tier", msg(EventConversationCreated, "你好", "presale", ""), Outcome{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, rs := range [][]Rule{defaults, stored} {
				if got := Merge(Evaluate(rs, tt.f)); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got  %+v\nwant %+v", got, tt.want)
				}
			}
		})
	}

	if got := Defaults("", "team-vip"); len(got) != 1 || got[0].ID != DefaultVIPID {
		t.Errorf("without a complaints team: %+v", got)
	}
	if got := Defaults("team-complaints", ""); len(got) != 1 || got[0].ID != DefaultComplaintsID {
		t.Errorf("without a VIP team: %+v", got)
	}
	if got := Defaults("", ""); len(got) != 0 {
		t.Errorf("without teams: %+v", got)
	}
}

// TestConsoleJSON decodes a rule as the console sends it: numbers are
// float64 and lists []any.
func TestConsoleJSON(t *testing.T) {
	const js = `{"id":"r1","name":"大额订单夜间","enabled":true,"events":["conversation_created"],
		"conditions":[{"field":"order.value","op":"gte","value":1000},
			{"field":"time_of_day","op":"between","value":"22:00-08:00"},
			{"field":"business_hours","op":"is_false"},
			{"field":"contact.level","op":"in","value":["3","4"]}],
		"actions":[{"type":"set_priority","value":"high"},{"type":"add_note","value":"大额订单，夜间来访"},
			{"type":"call_webhook","value":"https://shop.example.com/hooks/kefu"}],
		"position":5,"stop_after":true}`
	var r Rule
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	f := Facts{Event: EventConversationCreated, OrderValue: amount(1288), Now: at(time.Friday, "23:15"),
		Contact: map[string]string{"level": "4"}}
	got := Merge(Evaluate([]Rule{r, labelRule("later", 9, "x")}, f))
	want := Outcome{Priority: "high", Notes: []string{"大额订单，夜间来访"}, Webhooks: []string{"https://shop.example.com/hooks/kefu"},
		Rules: []string{"大额订单夜间"}, RuleIDs: []string{"r1"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestPreview(t *testing.T) {
	r := Rule{Name: "test", Events: []string{EventHandoff}, Match: MatchAny, Conditions: []Condition{
		{FieldText, OpContainsAny, []string{"投诉", "快递"}},
		{FieldOrderValue, OpGt, 100},
		{FieldWeekday, OpIn, []string{"saturday"}},
		{FieldBusinessHours, OpIsTrue, nil},
	}, Actions: []Action{{Type: ActionSetPriority, Value: "high"}}}
	f := facts()
	f.OrderValue = nil
	matched, why, err := Preview(r, f) // Preview ignores Enabled and Events
	if err != nil {
		t.Fatal(err)
	}
	if !matched || len(why) != 4 {
		t.Fatalf("matched %v, %+v", matched, why)
	}
	want := []ConditionResult{
		{Index: 0, Field: FieldText, Op: OpContainsAny, Held: true, Actual: "快递", Why: `text contains_any ["投诉","快递"]: holds (found "快递")`},
		{Index: 1, Field: FieldOrderValue, Op: OpGt, Held: false, Absent: true, Why: `order.value gt 100: does not hold (no order value)`},
		{Index: 2, Field: FieldWeekday, Op: OpIn, Held: false, Actual: "tuesday", Why: `weekday in ["saturday"]: does not hold (day is tuesday)`},
		{Index: 3, Field: FieldBusinessHours, Op: OpIsTrue, Held: true, Actual: "true", Why: `business_hours is_true: holds (within business hours)`},
	}
	if !reflect.DeepEqual(why, want) {
		t.Errorf("got\n%+v\nwant\n%+v", why, want)
	}

	r.Match = MatchAll
	if matched, _, _ := Preview(r, f); matched {
		t.Error("all: matched")
	}
	r.Conditions[1].Op = "greater"
	if _, _, err := Preview(r, f); kefu.ErrorField(err) != "conditions[1].op" {
		t.Errorf("invalid rule: %v", err)
	}
}

func TestValidate(t *testing.T) {
	valid := func() Rule {
		return Rule{ID: "r", Name: "投诉", Enabled: true, Events: []string{EventMessageReceived},
			Conditions: []Condition{{FieldText, OpContainsAny, []string{"投诉"}}, {FieldChannel, OpEq, "webchat"}},
			Actions:    []Action{{Type: ActionSetTeam, Value: "t1"}, {Type: ActionAddLabels, Values: []string{"投诉"}}}}
	}
	if err := valid().Validate(); err != nil {
		t.Fatal(err)
	}
	cond := func(c Condition) func(*Rule) { return func(r *Rule) { r.Conditions[1] = c } }
	action := func(a Action) func(*Rule) { return func(r *Rule) { r.Actions[1] = a } }
	tests := []struct {
		name  string
		edit  func(*Rule)
		field string
	}{
		{"no name", func(r *Rule) { r.Name = "  " }, "name"},
		{"long name", func(r *Rule) { r.Name = strings.Repeat("名", 101) }, "name"},
		{"no events", func(r *Rule) { r.Events = nil }, "events"},
		{"unknown event", func(r *Rule) { r.Events = []string{"resolved"} }, "events"},
		{"bad match", func(r *Rule) { r.Match = "some" }, "match"},
		{"too many conditions", func(r *Rule) { r.Conditions = make([]Condition, 51) }, "conditions"},
		{"no actions", func(r *Rule) { r.Actions = nil }, "actions"},

		{"unknown field", cond(Condition{"amount", OpGt, 1}), "conditions[1].field"},
		{"empty contact attribute", cond(Condition{"contact.", OpExists, nil}), "conditions[1].field"},
		{"contact attribute with a space", cond(Condition{"contact.vip tier", OpExists, nil}), "conditions[1].field"},
		{"unknown op", cond(Condition{FieldChannel, "like", "web"}), "conditions[1].op"},
		{"op not for field", cond(Condition{FieldText, OpEq, "投诉"}), "conditions[1].op"},
		{"gt on a string", cond(Condition{FieldChannel, OpGt, 1}), "conditions[1].op"},
		{"between on order", cond(Condition{FieldOrderValue, OpBetween, "1-2"}), "conditions[1].op"},
		{"eq on business_hours", cond(Condition{FieldBusinessHours, OpEq, true}), "conditions[1].op"},
		{"exists on channel", cond(Condition{FieldChannel, OpExists, nil}), "conditions[1].op"},
		{"eq without value", cond(Condition{FieldChannel, OpEq, nil}), "conditions[1].value"},
		{"eq with empty value", cond(Condition{FieldChannel, OpEq, ""}), "conditions[1].value"},
		{"eq with a list", cond(Condition{FieldChannel, OpEq, []string{"webchat"}}), "conditions[1].value"},
		{"unknown intent", cond(Condition{FieldIntent, OpEq, "complain"}), "conditions[1].value"},
		{"unknown intent in list", cond(Condition{FieldIntent, OpIn, []string{"order", "refund"}}), "conditions[1].value"},
		{"unknown sentiment", cond(Condition{FieldSentiment, OpEq, "furious"}), "conditions[1].value"},
		{"unknown priority", cond(Condition{FieldPriority, OpIn, []string{"critical"}}), "conditions[1].value"},
		{"in with a string", cond(Condition{FieldChannel, OpIn, "webchat"}), "conditions[1].value"},
		{"in with an empty list", cond(Condition{FieldChannel, OpIn, []string{}}), "conditions[1].value"},
		{"list with a number", cond(Condition{FieldChannel, OpIn, []any{"webchat", 1.0}}), "conditions[1].value"},
		{"blank keyword", cond(Condition{FieldText, OpContainsAny, []string{"投诉", " "}}), "conditions[1].value"},
		{"long label", cond(Condition{FieldLabels, OpContainsAny, []string{strings.Repeat("长", 41)}}), "conditions[1].value"},
		{"too many keywords", cond(Condition{FieldText, OpContainsAny, make([]string, 201)}), "conditions[1].value"},
		{"order value string", cond(Condition{FieldOrderValue, OpGt, "100"}), "conditions[1].value"},
		{"order value missing", cond(Condition{FieldOrderValue, OpGt, nil}), "conditions[1].value"},
		{"exists with a value", cond(Condition{FieldOrderValue, OpExists, 1}), "conditions[1].value"},
		{"is_true with a value", cond(Condition{FieldBusinessHours, OpIsTrue, true}), "conditions[1].value"},
		{"period without end", cond(Condition{FieldTimeOfDay, OpBetween, "09:00"}), "conditions[1].value"},
		{"period bad hour", cond(Condition{FieldTimeOfDay, OpBetween, "9:00-18:00"}), "conditions[1].value"},
		{"period 25:00", cond(Condition{FieldTimeOfDay, OpBetween, "09:00-25:00"}), "conditions[1].value"},
		{"period empty", cond(Condition{FieldTimeOfDay, OpBetween, "09:00-09:00"}), "conditions[1].value"},
		{"period from 24:00", cond(Condition{FieldTimeOfDay, OpBetween, "24:00-08:00"}), "conditions[1].value"},
		{"capitalised weekday", cond(Condition{FieldWeekday, OpIn, []string{"Saturday"}}), "conditions[1].value"},
		{"weekday abbreviation", cond(Condition{FieldWeekday, OpIn, []string{"sat"}}), "conditions[1].value"},

		{"no action type", action(Action{Value: "x"}), "actions[1].type"},
		{"unknown action", action(Action{Type: "assign_agent", Value: "u1"}), "actions[1].type"},
		{"second set_team", action(Action{Type: ActionSetTeam, Value: "t2"}), "actions[1].type"},
		{"no team", func(r *Rule) { r.Actions[0].Value = "" }, "actions[0].value"},
		{"team with values", func(r *Rule) { r.Actions[0].Values = []string{"t2"} }, "actions[0].values"},
		{"unknown priority action", action(Action{Type: ActionSetPriority, Value: "critical"}), "actions[1].value"},
		{"no sla policy", action(Action{Type: ActionSetSLAPolicy}), "actions[1].value"},
		{"no canned reply", action(Action{Type: ActionSendCanned, Value: " "}), "actions[1].value"},
		{"blank note", action(Action{Type: ActionAddNote, Value: "\n"}), "actions[1].value"},
		{"long note", action(Action{Type: ActionAddNote, Value: strings.Repeat("注", 2001)}), "actions[1].value"},
		{"no labels", action(Action{Type: ActionAddLabels}), "actions[1].values"},
		{"label in value", action(Action{Type: ActionAddLabels, Value: "投诉"}), "actions[1].value"},
		{"empty label", action(Action{Type: ActionAddLabels, Values: []string{"a", ""}}), "actions[1].values"},
		{"label with spaces", action(Action{Type: ActionAddLabels, Values: []string{" a"}}), "actions[1].values"},
		{"long label action", action(Action{Type: ActionAddLabels, Values: []string{strings.Repeat("长", 41)}}), "actions[1].values"},
		{"webhook ftp", action(Action{Type: ActionCallWebhook, Value: "ftp://x.test/"}), "actions[1].value"},
		{"webhook no host", action(Action{Type: ActionCallWebhook, Value: "https:///path"}), "actions[1].value"},
		{"webhook not a URL", action(Action{Type: ActionCallWebhook, Value: "http://[::1"}), "actions[1].value"},
		{"webhook relative", action(Action{Type: ActionCallWebhook, Value: "/hooks"}), "actions[1].value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid()
			tt.edit(&r)
			err := r.Validate()
			if kefu.ErrorCode(err) != kefu.EINVALID || kefu.ErrorField(err) != tt.field {
				t.Errorf("got %v, want field %s", err, tt.field)
			}
		})
	}

	// Longest labels and values are fine.
	r := valid()
	r.Actions[1].Values = []string{strings.Repeat("长", 40)}
	r.Conditions[1] = Condition{FieldTimeOfDay, OpBetween, "18:00-24:00"}
	if err := r.Validate(); err != nil {
		t.Error(err)
	}
}

func TestOpsFor(t *testing.T) {
	for _, f := range append(slices.Clone(Fields), "contact.level") {
		ops := OpsFor(f)
		if len(ops) == 0 {
			t.Errorf("%s: no operators", f)
		}
		for _, op := range ops {
			if _, ok := opNames[op]; !ok {
				t.Errorf("%s: unknown operator %s", f, op)
			}
		}
	}
	if OpsFor("amount") != nil || OpsFor("contact.") != nil {
		t.Error("operators for an unknown field")
	}
}

// TestEvaluateAllocs checks that a message no rule matches costs no
// allocation, and one that rules match only the list of matches.
func TestEvaluateAllocs(t *testing.T) {
	s, err := Compile(benchRules(50))
	if err != nil {
		t.Fatal(err)
	}
	f := facts()
	f.Text, f.Intent = "你好，在吗？", "presale"
	if n := testing.AllocsPerRun(100, func() { s.Evaluate(f) }); n != 0 {
		t.Errorf("no match: %v allocations, matches %v", n, ids(s.Evaluate(f)))
	}
	f = facts()
	if got := ids(s.Evaluate(f)); !slices.Equal(got, []string{"r7"}) {
		t.Fatalf("typical message: matches %v, want r7", got)
	}
	if n := testing.AllocsPerRun(100, func() { s.Evaluate(f) }); n > 1 {
		t.Errorf("typical message: %v allocations", n)
	}
}

// benchRules returns n rules of the kinds a shop writes: keyword routing,
// intent and sentiment rules, VIP and order-value rules, night and weekend
// rules.
func benchRules(n int) []Rule {
	kinds := []func(i int) Rule{
		func(i int) Rule {
			return Rule{Conditions: []Condition{{FieldText, OpContainsAny, []string{"退款", "退货", "换货", "破损", "少发", "漏发", fmt.Sprint("kw", i)}}},
				Actions: []Action{{Type: ActionAddLabels, Values: []string{"售后"}}}}
		},
		func(i int) Rule {
			return Rule{Match: MatchAny, Conditions: []Condition{{FieldIntent, OpIn, []string{"quality", "repair_install"}}, {FieldSentiment, OpEq, "angry"}},
				Actions: []Action{{Type: ActionSetPriority, Value: "high"}}}
		},
		func(i int) Rule {
			return Rule{Conditions: []Condition{{FieldVIPTier, OpIn, []string{"platinum"}}, {FieldChannel, OpEq, "webchat"}},
				Actions: []Action{{Type: ActionSetTeam, Value: "vip"}}}
		},
		func(i int) Rule {
			return Rule{Conditions: []Condition{{FieldOrderValue, OpGte, 5000 + i}, {FieldBusinessHours, OpIsFalse, nil}},
				Actions: []Action{{Type: ActionAddNote, Value: "大额订单"}}}
		},
		func(i int) Rule {
			return Rule{Conditions: []Condition{{FieldWeekday, OpIn, []string{"saturday", "sunday"}}, {FieldTimeOfDay, OpBetween, "22:00-08:00"}},
				Actions: []Action{{Type: ActionSendCanned, Value: "night"}}}
		},
		func(i int) Rule {
			return Rule{Conditions: []Condition{{FieldInboxID, OpEq, fmt.Sprint("inbox-", i)}, {FieldLabels, OpContainsNone, []string{"已处理"}}},
				Actions: []Action{{Type: ActionSetSLAPolicy, Value: "sla"}}}
		},
		func(i int) Rule {
			return Rule{Conditions: []Condition{{FieldText, OpContainsAny, []string{"发票", "开票", "invoice", "专票"}}},
				Actions: []Action{{Type: ActionSetTeam, Value: "finance"}}}
		},
		func(i int) Rule {
			kw := fmt.Sprint("没到", i) // one of these rules matches the typical message
			if i == 7 {
				kw = "没到"
			}
			return Rule{Conditions: []Condition{{FieldIntent, OpEq, "logistics"}, {FieldText, OpContainsAny, []string{"催单", "快点", "hurry", kw}}},
				Actions: []Action{{Type: ActionAddLabels, Values: []string{"催物流"}}}}
		},
	}
	out := Defaults("complaints", "vip")
	for i := len(out); i < n; i++ {
		r := kinds[i%len(kinds)](i)
		r.ID, r.Name, r.Enabled, r.Position = fmt.Sprint("r", i), fmt.Sprint("rule ", i), true, 100+i
		r.Events = []string{EventConversationCreated, EventMessageReceived}
		out = append(out, r)
	}
	return out
}

// BenchmarkEvaluate50 evaluates 50 rules on a typical customer message (49
// evaluated: the VIP rule is not evaluated on messages; one matches).
func BenchmarkEvaluate50(b *testing.B) {
	s, err := Compile(benchRules(50))
	if err != nil {
		b.Fatal(err)
	}
	f := facts()
	b.ReportAllocs()
	for b.Loop() {
		s.Evaluate(f)
	}
}

// BenchmarkEvaluateMerge50 is BenchmarkEvaluate50 followed by Merge: the
// whole per-message cost.
func BenchmarkEvaluateMerge50(b *testing.B) {
	s, err := Compile(benchRules(50))
	if err != nil {
		b.Fatal(err)
	}
	f := facts()
	b.ReportAllocs()
	for b.Loop() {
		Merge(s.Evaluate(f))
	}
}

// BenchmarkEvaluate50Uncompiled is the same with the convenience Evaluate,
// which compiles the rules on every call.
func BenchmarkEvaluate50Uncompiled(b *testing.B) {
	rules := benchRules(50)
	f := facts()
	b.ReportAllocs()
	for b.Loop() {
		Merge(Evaluate(rules, f))
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"你好，在吗？", "你好，在吗？"},
		{"Order SO12345", "order so12345"},
		{"打１２３１５投诉", "打12315投诉"},
		{"ＡＢＣ ａｂｃ", "abc abc"},
		{"ПРИВЕТ Straße", "привет straße"},
		{"ｶﾀｶﾅ 한국어", "ｶﾀｶﾅ 한국어"},
	}
	for _, tt := range tests {
		if got := fold(tt.in); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
