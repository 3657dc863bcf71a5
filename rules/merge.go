package rules

import (
	"slices"

	"kefu"
)

// Merge folds the matches of one evaluation, in evaluation order, into what
// to do in the end.
//
// Precedence: the earlier a rule comes (lower Position), the higher its
// precedence. The first set_team and the first set_sla_policy among the
// matches win; later ones are ignored. Priority is the exception: the highest
// priority any match sets wins (urgent > high > normal > low), so that a
// complaint rule's urgent is never downgraded by a later — or earlier — rule.
// Whether the Outcome's priority may lower the conversation's current one is
// the caller's decision.
//
// Labels are the union of every add_labels, in order of first appearance.
// Canned replies, notes and webhooks are collected in order, each once. Rules
// and RuleIDs list every match, for the conversation's timeline.
func Merge(matches []Match) Outcome {
	var o Outcome
	rank := -1
	for _, m := range matches {
		o.Rules = append(o.Rules, m.RuleName)
		o.RuleIDs = append(o.RuleIDs, m.RuleID)
		for _, a := range m.Actions {
			switch a.Type {
			case ActionSetTeam:
				if o.TeamID == "" {
					o.TeamID = a.Value
				}
			case ActionSetSLAPolicy:
				if o.SLAPolicyID == "" {
					o.SLAPolicyID = a.Value
				}
			case ActionSetPriority:
				if r := slices.Index(kefu.Priorities, a.Value); r > rank {
					rank, o.Priority = r, a.Value
				}
			case ActionAddLabels:
				for _, l := range a.Values {
					o.Labels = appendOnce(o.Labels, l)
				}
			case ActionSendCanned:
				o.CannedIDs = appendOnce(o.CannedIDs, a.Value)
			case ActionAddNote:
				o.Notes = appendOnce(o.Notes, a.Value)
			case ActionCallWebhook:
				o.Webhooks = appendOnce(o.Webhooks, a.Value)
			}
		}
	}
	return o
}

// appendOnce appends s to list unless it is empty or already there.
func appendOnce(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
