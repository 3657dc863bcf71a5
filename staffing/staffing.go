// Package staffing sizes the support desk for each planning interval of a
// day with the Erlang C queueing model, so that a promotion day (大促,
// typically about three times normal volume) can be rostered in advance.
//
// Erlang C describes an M/M/n queue: contacts arrive at random (Poisson),
// handle times are exponential, nobody abandons, and a waiting contact is
// served by the first free agent. Real desks lose some impatient customers,
// so Erlang C is slightly pessimistic; that is the safe side for planning.
//
// Units: traffic a is measured in Erlangs, i.e. contacts per interval times
// the average handle time (AHT) divided by the interval length; it is the
// average number of agents busy at once.
package staffing

import (
	"math"
	"time"
)

// maxDuration stands in for an unbounded wait: with n <= a the queue grows
// without limit, and time.Duration has no infinity.
const maxDuration = time.Duration(math.MaxInt64)

// maxShrinkage caps Target.Shrinkage. Above 90% the rostered headcount
// explodes (ceil(n/0.1) is already 10×), which is almost certainly a data
// error rather than a plan.
const maxShrinkage = 0.9

// Interval is one planning interval (e.g. 30 minutes) of a day.
type Interval struct {
	Start    time.Time
	Contacts float64 // arrivals in the interval
}

// Target is the service goal an interval is staffed for.
type Target struct {
	// ServiceLevel is the share of contacts to answer within Within,
	// e.g. 0.8 for "80/20". Values above 1 are treated as 1.
	ServiceLevel float64
	// Within is the answer-time threshold, e.g. 20*time.Second.
	Within time.Duration
	// MaxOccupancy optionally caps a/n, e.g. 0.85, because agents kept
	// busy above that for hours burn out even when the service level is
	// met (large teams reach 80/20 at very high occupancy). 0, or any value
	// outside (0, 1), means no cap.
	MaxOccupancy float64
	// Shrinkage is the share of paid time not spent taking contacts
	// (breaks, meetings, training), 0–0.9; values outside are clamped.
	// It only affects Plan.Scheduled.
	Shrinkage float64
}

// Plan is the staffing result for one interval.
type Plan struct {
	Start time.Time `json:"start"`
	// Contacts is the planned volume, i.e. after the multiplier.
	Contacts float64 `json:"contacts"`
	// TrafficErlangs is the offered load in contact-Erlangs (for chat:
	// conversations open at once, not agents busy).
	TrafficErlangs float64 `json:"traffic_erlangs"`
	// Agents is the number of agents that must be logged in and taking
	// contacts.
	Agents int `json:"agents"`
	// Scheduled is Agents grossed up for shrinkage: the headcount to roster.
	Scheduled int `json:"scheduled"`
	// ServiceLevel, ASA and Occupancy describe the Agents actually planned,
	// which after rounding up for concurrency can be a little better than
	// the bare minimum.
	ServiceLevel float64       `json:"service_level"`
	ASA          time.Duration `json:"asa"`
	Occupancy    float64       `json:"occupancy"`
}

// ErlangC returns the probability that a contact waits, for traffic a
// (Erlangs) and n agents (n > a, else 1).
//
// It uses the Erlang B recursion B(0)=1, B(k)=a·B(k-1)/(k+a·B(k-1)) and then
// C = n·B/(n − a(1−B)). Every step stays within [0, 1], so there is no
// a^n/n! to overflow and a of several thousand Erlangs is fine; the cost is
// O(n).
func ErlangC(n int, a float64) float64 {
	if float64(n) <= a {
		// The queue is unstable: everyone eventually waits.
		return 1
	}
	if a <= 0 {
		// No traffic, so nobody waits.
		return 0
	}
	b := 1.0
	for k := 1; k <= n; k++ {
		b = erlangBStep(k, a, b)
	}
	return erlangCFromB(n, a, b)
}

// erlangBStep advances the Erlang B recursion from k-1 to k agents. It is
// shared by ErlangC and the agent search so both compute the same numbers.
func erlangBStep(k int, a, prev float64) float64 {
	return a * prev / (float64(k) + a*prev)
}

// erlangCFromB converts Erlang B for n agents into Erlang C. It requires
// n > a, so the denominator is positive.
func erlangCFromB(n int, a, b float64) float64 {
	return float64(n) * b / (float64(n) - a*(1-b))
}

// ServiceLevel is P(wait <= t) = 1 - C(n,a)·exp(-(n-a)·t/AHT).
//
// With n <= a it returns 0 (the queue grows without bound), with a <= 0 it
// returns 1, and t <= 0 is taken as "answered without waiting", i.e. 1 − C.
// It panics if aht is not positive, because then the formula is meaningless.
func ServiceLevel(n int, a float64, aht, t time.Duration) float64 {
	mustPositive("aht", aht)
	if a <= 0 {
		return 1
	}
	if float64(n) <= a {
		return 0
	}
	return serviceLevel(n, a, ErlangC(n, a), aht, t)
}

// serviceLevel evaluates the formula with C already known, so the agent
// search does not recompute C from scratch for every candidate n.
func serviceLevel(n int, a, c float64, aht, t time.Duration) float64 {
	if t <= 0 {
		return 1 - c
	}
	return 1 - c*math.Exp(-(float64(n)-a)*float64(t)/float64(aht))
}

// ASA is the average speed of answer = C(n,a)·AHT/(n-a).
//
// With n <= a the wait is unbounded and ASA returns the largest
// time.Duration; with a <= 0 it returns 0. It panics if aht is not positive.
func ASA(n int, a float64, aht time.Duration) time.Duration {
	mustPositive("aht", aht)
	if a <= 0 {
		return 0
	}
	if float64(n) <= a {
		return maxDuration
	}
	asa := ErlangC(n, a) * float64(aht) / (float64(n) - a)
	// Converting a float beyond int64 range is implementation-defined in
	// Go, so clamp explicitly (n barely above a can get here).
	if asa >= float64(maxDuration) {
		return maxDuration
	}
	return time.Duration(math.Round(asa))
}

// Agents returns the fewest agents meeting the target for arrivals per
// interval, together with the service level they achieve. It ignores
// Target.Shrinkage (see Plan.Scheduled) and concurrency (see Staff).
//
// Zero or negative contacts need 0 agents at service level 1. It panics if
// interval or aht is not positive or contacts is not finite, because no
// staffing number would be meaningful.
func Agents(contacts float64, interval, aht time.Duration, t Target) (n int, sl float64) {
	return servers(traffic(contacts, interval, aht), aht, t)
}

// Staff plans each interval. Multiplier scales volume (3 for a promotion);
// multiplier <= 0 is treated as 1 so that an unset value plans a normal day
// instead of an empty desk.
//
// Concurrency > 1 means one agent handles that many chats at once.
// Modelling choice (an approximation, not exact queueing theory): each agent
// is treated as `concurrency` independent Erlang C servers that each work
// one chat for the full aht, i.e. the effective handle time per agent is
// aht/concurrency. We size servers, then agents = ceil(servers /
// concurrency). Real agents are not that: their attention is shared, so a
// chat takes longer the more chats run beside it, and the slots of one agent
// go on break together. The model is therefore optimistic unless aht is the
// per-chat handle time measured at the concurrency you plan to run.
// Concurrency < 1 is treated as 1 (voice, e-mail).
//
// It panics under the same conditions as Agents.
func Staff(intervals []Interval, interval, aht time.Duration, concurrency int, multiplier float64, t Target) []Plan {
	if concurrency < 1 {
		concurrency = 1
	}
	if multiplier <= 0 {
		multiplier = 1
	}
	plans := make([]Plan, 0, len(intervals))
	for _, iv := range intervals {
		contacts := iv.Contacts * multiplier
		a := traffic(contacts, interval, aht)
		needed, _ := servers(a, aht, t)
		agents := (needed + concurrency - 1) / concurrency

		p := Plan{
			Start:          iv.Start,
			Contacts:       contacts,
			TrafficErlangs: a,
			Agents:         agents,
			Scheduled:      scheduled(agents, t.Shrinkage),
			ServiceLevel:   1,
		}
		if agents > 0 {
			// Report what the rostered agents deliver: rounding up to whole
			// agents adds slots, so use agents·concurrency, not needed.
			slots := agents * concurrency
			p.ServiceLevel = ServiceLevel(slots, a, aht, t.Within)
			p.ASA = ASA(slots, a, aht)
			p.Occupancy = a / float64(slots)
		}
		plans = append(plans, p)
	}
	return plans
}

// traffic converts contacts per interval into Erlangs.
func traffic(contacts float64, interval, aht time.Duration) float64 {
	mustPositive("interval", interval)
	mustPositive("aht", aht)
	if math.IsNaN(contacts) || math.IsInf(contacts, 0) {
		// The search below would never terminate on NaN or +Inf traffic.
		panic("staffing: contacts must be finite")
	}
	if contacts <= 0 {
		return 0
	}
	return contacts * float64(aht) / float64(interval)
}

// servers finds the fewest servers meeting t for traffic a. It walks n
// upwards carrying the Erlang B recursion along, so the whole search is
// O(answer) rather than O(answer²).
//
// The loop always ends: C(n,a) falls faster than geometrically once n
// passes a, so even a target of 1 is reached when 1 − C·exp(…) rounds to
// 1.0 in float64.
func servers(a float64, aht time.Duration, t Target) (int, float64) {
	if a <= 0 {
		return 0, 1
	}
	goal := t.ServiceLevel
	if !(goal <= 1) {
		// Above 1 can never be met; treat it as "as close to 1 as float64
		// can tell".
		goal = 1
	}
	maxOcc := t.MaxOccupancy
	if maxOcc <= 0 || maxOcc >= 1 {
		maxOcc = 1 // n > a already keeps occupancy below 1
	}

	b := 1.0
	for n := 1; ; n++ {
		b = erlangBStep(n, a, b)
		if float64(n) <= a {
			continue // unstable queue: no service level to speak of
		}
		sl := serviceLevel(n, a, erlangCFromB(n, a, b), aht, t.Within)
		if sl >= goal && a/float64(n) <= maxOcc {
			return n, sl
		}
	}
}

// scheduled grosses n up for shrinkage: ceil(n / (1 − shrinkage)).
func scheduled(n int, shrinkage float64) int {
	if n <= 0 {
		return 0
	}
	if !(shrinkage > 0) {
		return n // also catches NaN
	}
	if shrinkage > maxShrinkage {
		shrinkage = maxShrinkage
	}
	// The small epsilon keeps exact quotients exact: 14/(1−0.3) is
	// 20.000000000000004 in float64 and must not round up to 21.
	return int(math.Ceil(float64(n)/(1-shrinkage) - 1e-9))
}

func mustPositive(name string, d time.Duration) {
	if d <= 0 {
		panic("staffing: " + name + " must be positive")
	}
}
