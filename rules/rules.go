// Package rules is the pure part of kefu's automation rules (自动化规则):
// their types, validation, evaluation and the rules a workspace starts with.
// It touches no database and sends nothing: the caller stores rules, gathers
// the Facts of an event, asks which rules match and what they ask for
// (Evaluate, then Merge), and carries out the Outcome.
//
// A Rule says on which events it is evaluated, which conditions must hold
// (all of them, or any) and what to do when it matches. Rules are evaluated in
// Position order (then ID); a matching rule with StopAfter set ends the
// evaluation. Merge then folds the matches into one Outcome in which earlier
// rules take precedence, except that the highest priority wins.
//
// Semantics of conditions, in brief:
//
//   - String comparisons (eq, neq, in, not_in, labels' contains_any) ignore
//     case. Keywords (text contains_any / contains_none) match as substrings,
//     ignoring case and the difference between full-width and half-width
//     forms, so "１２３１５" matches the keyword "12315".
//   - A field can be absent: order.value when the contact has no order, a
//     contact attribute that is missing or empty, time_of_day and weekday when
//     Facts.Now is the zero time. Every condition on an absent field is false,
//     except not_exists; none is an error. So "order.value lt 100" does not
//     hold for a customer without orders, and neither does "neq".
//   - channel, inbox_id, intent, text, sentiment, priority and labels are
//     always present; an empty string is a value like any other.
//
// Rule.Validate reports the first problem as a kefu EINVALID error naming the
// field, such as "conditions[1].value" or "actions[0].type". Compile turns
// rules into a Set that evaluates without re-parsing anything; it is safe
// for concurrent use.
package rules

import "time"

// Events a rule can be evaluated on.
const (
	EventConversationCreated = "conversation_created" // a customer started a conversation
	EventMessageReceived     = "message_received"     // a customer message arrived
	EventHandoff             = "handoff"              // the bot gave the conversation to a human
)

// Events lists the events in the order the console shows them.
var Events = []string{EventConversationCreated, EventMessageReceived, EventHandoff}

// How a rule's conditions combine.
const (
	MatchAll = "all" // every condition holds (the default; a rule without conditions always matches)
	MatchAny = "any" // at least one holds (a rule without conditions always matches)
)

// Fields a condition can test. Besides these, "contact.<attribute>" tests
// any contact attribute (FieldVIPTier is one of them).
const (
	FieldChannel       = "channel"          // e.g. webchat, api
	FieldInboxID       = "inbox_id"         // the inbox's id
	FieldIntent        = "intent"           // one of kefu.Intents, or "" before classification
	FieldText          = "text"             // the customer's message, tested for keywords
	FieldSentiment     = "sentiment"        // one of Sentiments
	FieldPriority      = "priority"         // the conversation's, one of kefu.Priorities
	FieldLabels        = "labels"           // the conversation's labels
	FieldVIPTier       = "contact.vip_tier" // e.g. gold, platinum; absent for ordinary customers
	FieldOrderValue    = "order.value"      // yuan; absent without an order
	FieldTimeOfDay     = "time_of_day"      // "HH:MM-HH:MM" with between
	FieldWeekday       = "weekday"          // list of weekday names with in / not_in
	FieldBusinessHours = "business_hours"   // is_true / is_false

	// ContactPrefix starts the name of a field that tests a contact attribute.
	ContactPrefix = "contact."
)

// Fields lists the fixed fields in the order the console shows them.
var Fields = []string{FieldChannel, FieldInboxID, FieldIntent, FieldText, FieldSentiment, FieldPriority,
	FieldLabels, FieldVIPTier, FieldOrderValue, FieldTimeOfDay, FieldWeekday, FieldBusinessHours}

// Operators of conditions. OpsFor tells which a field allows.
const (
	OpEq           = "eq"            // equals (strings ignore case; order.value to the cent)
	OpNeq          = "neq"           // does not equal
	OpIn           = "in"            // equals one of a list
	OpNotIn        = "not_in"        // equals none of a list
	OpContainsAny  = "contains_any"  // text: has one of the keywords; labels: has one of the labels
	OpContainsNone = "contains_none" // the opposite of contains_any
	OpGt           = "gt"            // order.value >
	OpGte          = "gte"           // order.value >=
	OpLt           = "lt"            // order.value <
	OpLte          = "lte"           // order.value <=
	OpBetween      = "between"       // time_of_day within "HH:MM-HH:MM", start inclusive, end exclusive
	OpIsTrue       = "is_true"       // business_hours; takes no value
	OpIsFalse      = "is_false"      // business_hours; takes no value
	OpExists       = "exists"        // the field has a value; takes no value
	OpNotExists    = "not_exists"    // the field is absent; takes no value
)

// Action types.
const (
	ActionSetTeam      = "set_team"       // Value: team id
	ActionSetPriority  = "set_priority"   // Value: one of kefu.Priorities
	ActionAddLabels    = "add_labels"     // Values: labels of at most 40 characters
	ActionSetSLAPolicy = "set_sla_policy" // Value: SLA policy id
	ActionSendCanned   = "send_canned"    // Value: canned reply id
	ActionAddNote      = "add_note"       // Value: the note's text
	ActionCallWebhook  = "call_webhook"   // Value: an http:// or https:// URL
)

// Actions lists the action types in the order the console shows them.
var Actions = []string{ActionSetTeam, ActionSetPriority, ActionAddLabels, ActionSetSLAPolicy,
	ActionSendCanned, ActionAddNote, ActionCallWebhook}

// Sentiments are the values of the sentiment field, most negative first.
var Sentiments = []string{"angry", "negative", "neutral", "positive"}

// Weekdays are the values of the weekday field, indexed by time.Weekday.
var Weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// Rule is one automation rule as stored (JSON) and edited in the console.
type Rule struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Enabled    bool        `json:"enabled"`
	Events     []string    `json:"events"`               // when the rule is evaluated; see Events
	Match      string      `json:"match"`                // MatchAll ("" means all) or MatchAny
	Conditions []Condition `json:"conditions"`           // none: the rule matches every event it is evaluated on
	Actions    []Action    `json:"actions"`              // at least one
	Position   int         `json:"position"`             // evaluation order, lowest first; ties by ID
	StopAfter  bool        `json:"stop_after,omitempty"` // when this rule matches, later rules are not evaluated
}

// Condition tests one field of the Facts.
//
// Value depends on the operator: a string for eq/neq (a number for
// order.value) and for between ("22:00-08:00"); a list of strings for in,
// not_in, contains_any and contains_none; a number for gt, gte, lt and lte;
// nothing for is_true, is_false, exists and not_exists. Lists may be []string
// or, as decoded from JSON, []any of strings.
type Condition struct {
	Field string `json:"field"`
	Op    string `json:"op"`
	Value any    `json:"value,omitempty"`
}

// Action is what a matching rule asks for. Value or Values is used depending
// on Type (see the Action constants); the other must be empty.
type Action struct {
	Type   string   `json:"type"`
	Value  string   `json:"value,omitempty"`
	Values []string `json:"values,omitempty"`
}

// Facts describe one event of a conversation: what rules are evaluated on.
type Facts struct {
	Event     string   `json:"event"` // one of Events
	Channel   string   `json:"channel"`
	InboxID   string   `json:"inbox_id"`
	Intent    string   `json:"intent"`
	Text      string   `json:"text"` // the customer's message ("" when there is none, e.g. an image)
	Sentiment string   `json:"sentiment"`
	Priority  string   `json:"priority"`
	Labels    []string `json:"labels"`
	// Contact holds the contact's attributes, vip_tier among them. A missing
	// or empty attribute is absent.
	Contact map[string]string `json:"contact"`
	// OrderValue is the amount in yuan of the contact's latest or attached
	// order; nil when there is none.
	OrderValue *float64 `json:"order_value,omitempty"`
	// Now is the time of the event in the workspace's time zone: time_of_day
	// and weekday are read from its wall clock. The zero time makes both
	// absent.
	Now time.Time `json:"now"`
	// BusinessHours reports whether Now is within the business hours of the
	// conversation's team (or the workspace), as the caller computed it.
	BusinessHours bool `json:"business_hours"`
}

// Match is one rule that matched, with its actions. Actions is shared with
// the Set that produced it: read it, do not modify it.
type Match struct {
	RuleID   string   `json:"rule_id"`
	RuleName string   `json:"rule_name"`
	Actions  []Action `json:"actions"`
}

// Outcome is what the matching rules ask for together; see Merge.
type Outcome struct {
	TeamID      string   `json:"team_id,omitempty"`
	Priority    string   `json:"priority,omitempty"`
	SLAPolicyID string   `json:"sla_policy_id,omitempty"`
	Labels      []string `json:"labels,omitempty"`     // to add
	CannedIDs   []string `json:"canned_ids,omitempty"` // canned replies to send, in order
	Notes       []string `json:"notes,omitempty"`      // private notes to add, in order
	Webhooks    []string `json:"webhooks,omitempty"`   // URLs to call, in order
	Rules       []string `json:"rules,omitempty"`      // names of the rules that matched, in order, for the timeline
	RuleIDs     []string `json:"rule_ids,omitempty"`   // their ids, in the same order
}
