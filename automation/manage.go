package automation

import (
	"context"
	"encoding/json"
	"time"

	"kefu"
	"kefu/rules"
	"kefu/store"
)

// Rules lists the rules in evaluation order. Requires settings.manage.
func (s *Service) Rules(ctx context.Context) ([]rules.Rule, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return nil, err
	}
	return s.load(ctx)
}

// PutRule creates (empty ID) or replaces a rule after validating it.
// Requires settings.manage.
func (s *Service) PutRule(ctx context.Context, r rules.Rule) (rules.Rule, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return r, err
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	now := s.Clock.Now()
	row := store.RuleRow{ID: r.ID, Position: r.Position, CreatedAt: now, UpdatedAt: now}
	if r.ID == "" {
		row.ID = kefu.NewID()
	} else {
		list, err := s.DB.Rules(ctx)
		if err != nil {
			return r, err
		}
		found := false
		for _, cur := range list {
			if cur.ID == r.ID {
				row.CreatedAt, found = cur.CreatedAt, true
			}
		}
		if !found {
			return r, kefu.Errorf(kefu.ENOTFOUND, "Rule not found.")
		}
	}
	r.ID = row.ID
	raw, _ := json.Marshal(r)
	row.Definition = string(raw)
	return r, s.DB.PutRule(ctx, row)
}

// DeleteRule removes a rule. Requires settings.manage.
func (s *Service) DeleteRule(ctx context.Context, id string) error {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return err
	}
	return s.DB.DeleteRule(ctx, id)
}

// Preview is the console's "test this rule": whether the rule matches a
// sample — a conversation's current state and a message text — and which
// conditions held. Requires settings.manage.
func (s *Service) Preview(ctx context.Context, r rules.Rule, conversationID, text string, f *rules.Facts) (bool, []rules.ConditionResult, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return false, nil, err
	}
	var facts rules.Facts
	switch {
	case conversationID != "":
		c, err := s.DB.Conversation(ctx, conversationID)
		if err != nil {
			return false, nil, err
		}
		if facts, err = s.Facts(ctx, rules.EventMessageReceived, c, text, AllFacts); err != nil {
			return false, nil, err
		}
	case f != nil:
		facts = *f
		if facts.Now.IsZero() {
			facts.Now = s.Clock.Now()
		}
	default:
		facts = rules.Facts{Event: rules.EventMessageReceived, Text: text, Now: s.Clock.Now(), Sentiment: "neutral", Priority: "normal"}
		if s.Mood != nil && text != "" {
			facts.Sentiment = s.Mood(text)
		}
	}
	return rules.Preview(r, facts)
}

// EnsureDefaults stores the shipped rules (complaints to the complaints
// team as urgent, VIP contacts to the VIP team, labels for the special
// flows) once, for the teams given.
func (s *Service) EnsureDefaults(ctx context.Context, complaintsTeamID, vipTeamID string) error {
	const marker = "rule_defaults"
	all, err := s.DB.Settings(ctx)
	if err != nil || all[marker] != "" {
		return err
	}
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(q *store.Queries) error {
		for _, r := range append(rules.Defaults(complaintsTeamID, vipTeamID), rules.SpecialFlows()...) {
			raw, _ := json.Marshal(r)
			if err := q.PutRule(ctx, store.RuleRow{ID: r.ID, Definition: string(raw), Position: r.Position, CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
		}
		return q.PutSetting(ctx, marker, now.UTC().Format(time.RFC3339), now)
	})
}
