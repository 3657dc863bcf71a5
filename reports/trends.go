package reports

import (
	"cmp"
	"context"
	"slices"
	"time"

	"kefu/kpi"
)

// Point is one day or one hour of a trend.
type Point struct {
	Key           string        `json:"key"` // 2026-11-23, or 09 for 09:00–10:00
	Conversations int           `json:"conversations"`
	FRTMedian     time.Duration `json:"frt_median"`
	FRTWithin3m   float64       `json:"frt_within_3m"`
	FCR           float64       `json:"fcr"`
	Resolved      int           `json:"resolved"`
	CSAT          float64       `json:"csat"`
	CSATAnswers   int           `json:"csat_answers"`
}

// Rank is how often something came up in the period and in the period
// before it of the same length (last month, for a month).
type Rank struct {
	Key      string `json:"key"`
	Count    int    `json:"count"`
	Previous int    `json:"previous"`
}

// Comment is a survey answer with a comment.
type Comment struct {
	ConversationID string    `json:"conversation_id"`
	CSAT           *int      `json:"csat,omitempty"`
	NPS            *int      `json:"nps,omitempty"`
	Comment        string    `json:"comment"`
	At             time.Time `json:"at"`
}

// Trends is the dashboards' detail over a period: per day and per hour of
// day, the top intents and complaint categories against the period before,
// and the distribution of ratings with their comments.
type Trends struct {
	Daily      []Point   `json:"daily"`
	Hourly     []Point   `json:"hourly"` // 24 points, 00 to 23
	Intents    []Rank    `json:"intents"`
	Complaints []Rank    `json:"complaints"`
	CSAT       [5]int    `json:"csat_distribution"` // answers of 1 to 5
	NPS        [11]int   `json:"nps_distribution"`  // answers of 0 to 10
	Comments   []Comment `json:"comments"`          // the latest 50 with a comment
}

// Trends computes the detail of a period. Requires reports.view.
func (s *Service) Trends(ctx context.Context, f Filter, loc *time.Location) (Trends, error) {
	fs, err := s.facts(ctx, f)
	if err != nil {
		return Trends{}, err
	}
	prevFilter := f
	prevFilter.From, prevFilter.To = f.From.Add(-f.To.Sub(f.From)), f.From
	prev, err := s.facts(ctx, prevFilter)
	if err != nil {
		return Trends{}, err
	}
	t := Trends{Daily: []Point{}, Hourly: make([]Point, 24), Comments: []Comment{}}
	days := map[string][]kpi.Facts{}
	hours := make([][]kpi.Facts, 24)
	for _, x := range fs {
		at := x.CreatedAt.In(loc)
		days[at.Format(time.DateOnly)] = append(days[at.Format(time.DateOnly)], x)
		hours[at.Hour()] = append(hours[at.Hour()], x)
		if x.CSAT != nil && *x.CSAT >= 1 && *x.CSAT <= 5 {
			t.CSAT[*x.CSAT-1]++
		}
		if x.NPS != nil && *x.NPS >= 0 && *x.NPS <= 10 {
			t.NPS[*x.NPS]++
		}
	}
	point := func(key string, group []kpi.Facts) Point {
		m := kpi.Summarize(group)
		return Point{Key: key, Conversations: m.Conversations, FRTMedian: m.FRTMedian, FRTWithin3m: m.FRTWithin["3m"], FCR: m.FCR,
			Resolved: m.Resolved, CSAT: m.CSAT, CSATAnswers: m.CSATAnswers}
	}
	for d := f.From.In(loc); d.Before(f.To); d = d.AddDate(0, 0, 1) {
		key := d.Format(time.DateOnly)
		t.Daily = append(t.Daily, point(key, days[key]))
	}
	for h := range 24 {
		t.Hourly[h] = point(time.Date(2000, 1, 1, h, 0, 0, 0, time.UTC).Format("15"), hours[h])
	}
	t.Intents = rank(countBy(fs, func(x kpi.Facts) string { return x.Intent }), countBy(prev, func(x kpi.Facts) string { return x.Intent }))
	now, err := s.DB.ComplaintCounts(ctx, f.From, f.To)
	if err != nil {
		return t, err
	}
	before, err := s.DB.ComplaintCounts(ctx, prevFilter.From, prevFilter.To)
	if err != nil {
		return t, err
	}
	t.Complaints = rank(now, before)
	answers, err := s.DB.SurveyAnswers(ctx, f.From, f.To, 500)
	if err != nil {
		return t, err
	}
	for _, a := range answers {
		if a.Comment != "" && len(t.Comments) < 50 {
			t.Comments = append(t.Comments, Comment{ConversationID: a.ConversationID, CSAT: a.CSAT, NPS: a.NPS, Comment: a.Comment, At: *a.AnsweredAt})
		}
	}
	return t, nil
}

func countBy(fs []kpi.Facts, key func(kpi.Facts) string) map[string]int {
	out := map[string]int{}
	for _, x := range fs {
		k := key(x)
		if k == "" {
			k = "other"
		}
		out[k]++
	}
	return out
}

// rank lists the keys of now, most frequent first, with their count before.
func rank(now, before map[string]int) []Rank {
	out := []Rank{}
	for k, n := range now {
		out = append(out, Rank{Key: k, Count: n, Previous: before[k]})
	}
	slices.SortFunc(out, func(a, b Rank) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Key, b.Key)) })
	return out
}
