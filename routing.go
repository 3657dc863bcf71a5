package kefu

import "time"

// Agent presence. Only online agents get new conversations; busy agents keep
// what they have; away is set by kefu after inactivity or by the agent.
const (
	PresenceOnline  = "online"
	PresenceBusy    = "busy"
	PresenceAway    = "away"
	PresenceOffline = "offline"
)

// Presences lists the agent statuses.
var Presences = []string{PresenceOnline, PresenceBusy, PresenceAway, PresenceOffline}

// Channel kinds: capacity is counted per kind, since an agent can hold more
// emails than live chats.
const (
	KindChat  = "chat"
	KindEmail = "email"
	KindPhone = "phone"
)

// ChannelKinds lists the kinds capacity is set for.
var ChannelKinds = []string{KindChat, KindEmail, KindPhone}

// ChannelKind is the capacity kind of a channel.
func ChannelKind(channel string) string {
	switch channel {
	case "email":
		return KindEmail
	case "phone":
		return KindPhone
	}
	return KindChat
}

// Agent is a user as routing sees them: presence, capacity, skills, teams
// and current load.
type Agent struct {
	UserID   string         `json:"user_id"`
	Name     string         `json:"name"`
	Status   string         `json:"status"`
	StatusAt *time.Time     `json:"status_at,omitempty"`
	Capacity map[string]int `json:"capacity"` // open conversations per channel kind
	Skills   []string       `json:"skills"`   // e.g. en, appliances, email
	TeamIDs  []string       `json:"team_ids"`
	Load     map[string]int `json:"load"` // open and pending conversations assigned, per channel kind
	// LastAssignedAt is when the agent last got a conversation: least-loaded
	// breaks ties by who waited longest.
	LastAssignedAt *time.Time `json:"last_assigned_at,omitempty"`
}

// Free reports whether the agent can take one more conversation of a kind.
func (a Agent) Free(kind string) bool {
	return a.Status == PresenceOnline && a.Load[kind] < a.Capacity[kind]
}

// Assignment strategies of a team.
const (
	StrategyLeastLoaded = "least_loaded"
	StrategyRoundRobin  = "round_robin"
)

// TeamRouting is how a team's conversations are assigned.
type TeamRouting struct {
	Strategy        string `json:"strategy"`
	AutoAssign      bool   `json:"auto_assign"` // false while a supervisor has paused it
	OverflowTeamID  string `json:"overflow_team_id"`
	OverflowMinutes int    `json:"overflow_minutes"` // 0: never overflow
	CalendarID      string `json:"calendar_id"`      // business hours; "" uses the workspace default
	LastAssigned    string `json:"-"`                // round robin's place
}

// SLAPolicy sets response and resolution targets, in business minutes, for
// the conversations it matches. The first policy (by position) whose
// priority, team and channel match applies; "" matches anything.
type SLAPolicy struct {
	ID                   string    `json:"id"`
	Name                 string    `json:"name"`
	Priority             string    `json:"priority"`
	TeamID               string    `json:"team_id"`
	Channel              string    `json:"channel"`
	FirstResponseMinutes int       `json:"first_response_minutes"`
	NextResponseMinutes  int       `json:"next_response_minutes"`
	ResolutionMinutes    int       `json:"resolution_minutes"`
	WarnPercent          int       `json:"warn_percent"` // warn when this share of a target has passed
	Position             int       `json:"position"`
	CreatedAt            time.Time `json:"created_at"`
	UpdatedAt            time.Time `json:"updated_at"`
}

// Matches reports whether the policy applies to a conversation.
func (p SLAPolicy) Matches(c Conversation) bool {
	return (p.Priority == "" || p.Priority == c.Priority) && (p.TeamID == "" || p.TeamID == c.TeamID) &&
		(p.Channel == "" || p.Channel == c.Channel)
}

// SLA targets, as named in events and in Conversation.SLAFired.
const (
	TargetFirstResponse = "first_response"
	TargetNextResponse  = "next_response"
	TargetResolution    = "resolution"
)

// Conversation events of routing and SLA.
const (
	EventQueued     = "queued"      // waiting for auto-assignment; data: team_id
	EventOverflowed = "overflowed"  // moved to the overflow team; data: from, to
	EventSLAWarning = "sla_warning" // data: target, due
	EventSLABreach  = "sla_breach"  // data: target, due
	EventRuleFired  = "rule_fired"  // data: rule_id, rule
	// Orders and returns.
	EventOrderAttached = "order_attached" // data: order_id, shop_order_id
	EventReturn        = "return"         // a return of the conversation moved; data: return_id, from, to
	// Complaints.
	EventComplaint   = "complaint"    // category or severity set; data: category, severity
	EventTaskCreated = "task_created" // data: task_id, department, title, owner_id, due_at
	EventTaskUpdated = "task_updated" // data: task_id, from, to (status)
	// Satisfaction.
	EventSurveySent     = "survey_sent"     // data: survey_id, kind
	EventSurveyAnswered = "survey_answered" // data: survey_id, csat, nps, comment, low
)

// Complaint categories (seed 002 §4.2) and severities.
var (
	ComplaintCategories = []string{"product_quality", "logistics", "after_sales_service", "payment", "account", "other"}
	ComplaintSeverities = []string{"low", "medium", "high", "critical"}
)

// Task is work another department owes on a conversation, so the agent can
// close the loop with the customer.
type Task struct {
	ID             string     `json:"id"`
	ConversationID string     `json:"conversation_id"`
	Department     string     `json:"department"` // warehouse, logistics, finance, quality, other
	Title          string     `json:"title"`
	Note           string     `json:"note"`
	OwnerID        string     `json:"owner_id"`
	OwnerName      string     `json:"owner_name"`
	Status         string     `json:"status"` // open, in_progress, done, cancelled
	DueAt          *time.Time `json:"due_at,omitempty"`
	CreatedBy      string     `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	DoneAt         *time.Time `json:"done_at,omitempty"`
}

// Departments and task statuses.
var (
	Departments  = []string{"warehouse", "logistics", "finance", "quality", "service", "other"}
	TaskStatuses = []string{"open", "in_progress", "done", "cancelled"}
)

// DetectLanguage guesses a customer's language from their words: zh-CN
// when they write any CJK character, else en.
func DetectLanguage(text string) string {
	for _, r := range text {
		if r >= 0x2E80 {
			return "zh-CN"
		}
	}
	return "en"
}
