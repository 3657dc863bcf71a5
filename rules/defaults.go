package rules

// IDs of the rules Defaults returns.
const (
	DefaultComplaintsID = "default-complaints"
	DefaultVIPID        = "default-vip"
)

// ComplaintKeywords are the words in a customer's message that make the
// shipped complaints rule fire: 投诉 (complaint), 12315 (the consumer
// complaints hotline), 差评 (a bad review) and 举报 (to report someone).
var ComplaintKeywords = []string{"投诉", "12315", "差评", "举报"}

// VIPTiers are the contact.vip_tier values the shipped VIP rule routes.
var VIPTiers = []string{"gold", "platinum", "vip"}

// Defaults returns the rules a new workspace starts with, enabled. A rule
// whose team id is "" is left out.
//
// "投诉升级 / Complaints" (position 10) sends complaints to the complaints
// team at urgent priority with the label 投诉, on every event: a customer may
// only threaten 12315 in a later message. It is one rule with Match any —
// keywords in the text, or the intent complaint — rather than two rules, so
// that a message that is both fires once, shows once on the timeline and is
// edited (or disabled) in one place.
//
// "VIP 客户" (position 20) sends contacts whose vip_tier is gold, platinum or
// vip to the VIP team at high priority, when a conversation is created or
// handed to a human; not on every message, so that an agent's transfer
// holds. A VIP's complaint matches both rules, and Merge gives the
// complaints team (the earlier rule) and urgent (the higher priority).
//
// Neither stops later rules: a workspace's own rules (at other positions)
// still add their labels and notes.
func Defaults(complaintsTeamID, vipTeamID string) []Rule {
	var out []Rule
	if complaintsTeamID != "" {
		out = append(out, Rule{
			ID:      DefaultComplaintsID,
			Name:    "投诉升级 / Complaints",
			Enabled: true,
			Events:  []string{EventConversationCreated, EventMessageReceived, EventHandoff},
			Match:   MatchAny,
			Conditions: []Condition{
				{Field: FieldText, Op: OpContainsAny, Value: append([]string(nil), ComplaintKeywords...)},
				{Field: FieldIntent, Op: OpEq, Value: "complaint"},
			},
			Actions: []Action{
				{Type: ActionSetTeam, Value: complaintsTeamID},
				{Type: ActionSetPriority, Value: "urgent"},
				{Type: ActionAddLabels, Values: []string{"投诉"}},
			},
			Position: 10,
		})
	}
	if vipTeamID != "" {
		out = append(out, Rule{
			ID:      DefaultVIPID,
			Name:    "VIP 客户",
			Enabled: true,
			Events:  []string{EventConversationCreated, EventHandoff},
			Match:   MatchAll,
			Conditions: []Condition{
				{Field: FieldVIPTier, Op: OpIn, Value: append([]string(nil), VIPTiers...)},
			},
			Actions: []Action{
				{Type: ActionSetTeam, Value: vipTeamID},
				{Type: ActionSetPriority, Value: "high"},
			},
			Position: 20,
		})
	}
	return out
}
