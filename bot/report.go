package bot

import (
	"context"
	"sort"
	"time"

	"kefu"
)

// Report is what the bot did over a period: how often it answered, handed
// off and why, whether its answers helped, per intent and per day.
type Report struct {
	From          time.Time      `json:"from"`
	To            time.Time      `json:"to"`
	Turns         int            `json:"turns"`
	Answered      int            `json:"answered"` // from the knowledge base
	Actions       int            `json:"actions"`  // answered by an action (order status …)
	HandedOff     int            `json:"handed_off"`
	Helpful       int            `json:"helpful"`
	NotHelpful    int            `json:"not_helpful"`
	NoFeedback    int            `json:"no_feedback"` // answers the customer did not rate
	Conversations int            `json:"conversations"`
	ResolvedByBot int            `json:"resolved_by_bot"` // conversations never handed to a human (containment)
	Reasons       map[string]int `json:"handoff_reasons"`
	Intents       []IntentCount  `json:"intents"`
	Daily         []DayCount     `json:"daily"`
}

// IntentCount is the bot's work on one intent.
type IntentCount struct {
	Intent    string `json:"intent"`
	Turns     int    `json:"turns"`
	Answered  int    `json:"answered"` // knowledge base and actions
	HandedOff int    `json:"handed_off"`
}

// DayCount is one day of the report, in the workspace's time zone.
type DayCount struct {
	Date      string `json:"date"`
	Answered  int    `json:"answered"`
	HandedOff int    `json:"handed_off"`
}

// Report counts the bot's turns of the last days (1–366) up to now, by
// day in the workspace's time zone. Requires reports.view.
func (s *Service) Report(ctx context.Context, days int) (Report, error) {
	if _, err := kefu.Require(ctx, kefu.PermReportsView); err != nil {
		return Report{}, err
	}
	if days < 1 || days > 366 {
		return Report{}, kefu.Invalid("days", "Report between 1 and 366 days.")
	}
	_, loc, err := s.Settings.Workspace(ctx)
	if err != nil {
		return Report{}, err
	}
	now := s.Clock.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	r := Report{From: today.AddDate(0, 0, 1-days), To: today.AddDate(0, 0, 1), Reasons: map[string]int{}}
	counts, err := s.DB.BotTurnCounts(ctx, r.From, r.To)
	if err != nil {
		return r, err
	}
	daily := map[string]*DayCount{}
	for d := r.From; d.Before(r.To); d = d.AddDate(0, 0, 1) {
		key := d.Format(time.DateOnly)
		daily[key] = &DayCount{Date: key}
		r.Daily = append(r.Daily, DayCount{Date: key})
	}
	intents := map[string]*IntentCount{}
	for _, c := range counts {
		day := daily[time.UnixMilli(c.Quarter*900000).In(loc).Format(time.DateOnly)]
		in := intents[c.Intent]
		if in == nil {
			in = &IntentCount{Intent: c.Intent}
			intents[c.Intent] = in
		}
		r.Turns += c.Count
		in.Turns += c.Count
		switch c.Outcome {
		case "handoff":
			r.HandedOff += c.Count
			r.Reasons[c.Reason] += c.Count
			in.HandedOff += c.Count
			if day != nil {
				day.HandedOff += c.Count
			}
			continue
		case "action":
			r.Actions += c.Count
		default:
			r.Answered += c.Count
		}
		in.Answered += c.Count
		if day != nil {
			day.Answered += c.Count
		}
		switch {
		case c.Helpful == nil:
			r.NoFeedback += c.Count
		case *c.Helpful:
			r.Helpful += c.Count
		default:
			r.NotHelpful += c.Count
		}
	}
	for i := range r.Daily {
		r.Daily[i] = *daily[r.Daily[i].Date]
	}
	for _, in := range intents {
		r.Intents = append(r.Intents, *in)
	}
	sort.Slice(r.Intents, func(i, j int) bool {
		if r.Intents[i].Turns != r.Intents[j].Turns {
			return r.Intents[i].Turns > r.Intents[j].Turns
		}
		return r.Intents[i].Intent < r.Intents[j].Intent
	})
	if r.Intents == nil {
		r.Intents = []IntentCount{}
	}
	r.Conversations, r.ResolvedByBot, err = s.DB.BotConversationCounts(ctx, r.From, r.To)
	return r, err
}
