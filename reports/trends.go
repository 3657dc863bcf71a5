package reports

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
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
	prevFilter := f
	prevFilter.From, prevFilter.To = f.From.Add(-f.To.Sub(f.From)), f.From
	t := Trends{Daily: []Point{}, Hourly: make([]Point, 24), Comments: []Comment{}}
	err := s.read(ctx, f, func(ix *index) error {
		clock := localClock{loc: loc}
		firstDay := clock.day(f.From.UnixMilli())
		days := ix.group(f, int(clock.day(f.To.UnixMilli())-firstDay)+1, true, func(r *fact) int { return int(clock.day(r.created) - firstDay) })
		hours := ix.group(f, 24, true, func(r *fact) int { return int(clock.secondOfDay(r.created) / 3600) })
		intents, complaints := ix.counter(dimIntent), ix.counter(dimComplaint)
		ix.each(f, func(r *fact) {
			intents.add(r)
			complaints.add(r)
			if r.csat >= 1 && r.csat <= 5 {
				t.CSAT[r.csat-1]++
			}
			if r.nps >= 0 && r.nps <= 10 {
				t.NPS[r.nps]++
			}
		})
		point := func(key string, t *totals) Point {
			if t == nil {
				t = newTotals()
			}
			m := t.summary()
			return Point{Key: key, Conversations: m.Conversations, FRTMedian: m.FRTMedian, FRTWithin3m: m.FRTWithin["3m"], FCR: m.FCR,
				Resolved: m.Resolved, CSAT: m.CSAT, CSATAnswers: m.CSATAnswers}
		}
		for d := f.From.In(loc); d.Before(f.To); d = d.AddDate(0, 0, 1) {
			t.Daily = append(t.Daily, point(d.Format(time.DateOnly), days[clock.day(d.UnixMilli())-firstDay]))
		}
		for h := range 24 {
			t.Hourly[h] = point(fmt.Sprintf("%02d", h), hours[h])
		}
		beforeIntents, beforeComplaints := ix.counter(dimIntent), ix.counter(dimComplaint)
		ix.each(prevFilter, func(r *fact) {
			beforeIntents.add(r)
			beforeComplaints.add(r)
		})
		t.Intents, t.Complaints = rank(intents.counts(), beforeIntents.counts()), rank(complaints.counts(), beforeComplaints.counts())
		return nil
	})
	if err != nil {
		return t, err
	}
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

// counter counts facts per value of a dimension.
type counter struct {
	ix *index
	d  int
	n  []int
}

func (ix *index) counter(d int) *counter {
	return &counter{ix: ix, d: d, n: make([]int, len(ix.dims[d].names))}
}

func (c *counter) add(r *fact) { c.n[r.dim[c.d]]++ }

// counts are the counts by value: facts without an intent count as
// "other"; those without a complaint category are left out.
func (c *counter) counts() map[string]int {
	out := map[string]int{}
	for id, n := range c.n {
		name := c.ix.dims[c.d].names[id]
		switch {
		case n == 0:
		case name != "":
			out[name] += n
		case c.d == dimIntent:
			out["other"] += n
		}
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
