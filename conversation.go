package kefu

import "time"

// Conversation statuses.
const (
	StatusOpen     = "open"     // needs an agent
	StatusPending  = "pending"  // waiting on the customer or someone else
	StatusSnoozed  = "snoozed"  // hidden until SnoozedUntil, then open again
	StatusResolved = "resolved" // done; a customer message reopens it within the inbox's window
)

// Priorities, lowest first.
var Priorities = []string{"low", "normal", "high", "urgent"}

// Sender types of messages.
const (
	SenderCustomer = "customer"
	SenderAgent    = "agent"
	SenderBot      = "bot"
	SenderSystem   = "system"
)

// Channels.
const (
	ChannelWebchat = "webchat"
	ChannelAPI     = "api"
)

// Conversation is one thread between a customer and the team on one channel.
type Conversation struct {
	ID              string     `json:"id"`
	InboxID         string     `json:"inbox_id"`
	InboxName       string     `json:"inbox_name"`
	ContactID       string     `json:"contact_id"`
	Channel         string     `json:"channel"`
	Status          string     `json:"status"`
	Priority        string     `json:"priority"`
	AssigneeID      string     `json:"assignee_id"`
	AssigneeName    string     `json:"assignee_name"`
	TeamID          string     `json:"team_id"`
	TeamName        string     `json:"team_name"`
	Subject         string     `json:"subject"`
	Labels          []string   `json:"labels"`
	SnoozedUntil    *time.Time `json:"snoozed_until,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	FirstReplyAt    *time.Time `json:"first_reply_at,omitempty"`
	ResolvedAt      *time.Time `json:"resolved_at,omitempty"`
	LastMessageAt   time.Time  `json:"last_message_at"`
	WaitingSince    *time.Time `json:"waiting_since,omitempty"` // the customer's oldest unanswered message
	LastSeq         int64      `json:"last_seq"`
	CustomerReadSeq int64      `json:"customer_read_seq"`
	AgentReadSeq    int64      `json:"agent_read_seq"`
	PreviousID      string     `json:"previous_id,omitempty"` // the resolved conversation this one follows
	UpdatedAt       time.Time  `json:"updated_at"`
	Bot             bool       `json:"bot"` // the bot still answers; agents take over at handoff
	// The request type (one of Intents): the classifier's guess until an
	// agent corrects it; corrections train the shop's own model.
	Intent            string     `json:"intent"`
	IntentSource      string     `json:"intent_source"` // "bot", "agent" or "" (not classified yet)
	IntentCorrectedAt *time.Time `json:"-"`
	Language          string     `json:"language"` // the customer's (zh-CN, en), for skill matching

	// A complaint's category and severity, set by the agent (seed 002 §4.2).
	ComplaintCategory string `json:"complaint_category"`
	ComplaintSeverity string `json:"complaint_severity"`

	// Routing and SLA.
	QueuedAt         *time.Time    `json:"queued_at,omitempty"` // waiting for auto-assignment since
	SLAPolicyID      string        `json:"sla_policy_id"`
	SLAPolicyPinned  bool          `json:"-"` // set by a rule: kept when priority or team change
	FirstResponseDue *time.Time    `json:"first_response_due,omitempty"`
	NextResponseDue  *time.Time    `json:"next_response_due,omitempty"`
	ResolutionDue    *time.Time    `json:"resolution_due,omitempty"`
	SLAFired         []string      `json:"sla_fired"` // warnings and breaches recorded, e.g. first_response.breach
	SLAUsed          time.Duration `json:"-"`         // business time used before the running stretch
	SLARunningSince  *time.Time    `json:"-"`         // nil while the clock is paused or stopped

	// Filled in for lists and views, per reader.
	Contact     *Contact `json:"contact,omitempty"` // masked
	LastMessage *Message `json:"last_message,omitempty"`
	Unread      int64    `json:"unread"`
}

// Attachment is a file sent with a message.
type Attachment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	URL         string `json:"url"`
}

// Message is one message of a conversation. Seq numbers a conversation's
// messages 1, 2, 3 … in the order they were committed.
type Message struct {
	ID             string       `json:"id"`
	ConversationID string       `json:"conversation_id"`
	Seq            int64        `json:"seq"`
	SenderType     string       `json:"sender_type"`
	SenderID       string       `json:"sender_id,omitempty"`
	SenderName     string       `json:"sender_name"`
	Private        bool         `json:"private"` // a note for agents; never shown to the customer
	ClientID       string       `json:"client_id,omitempty"`
	Text           string       `json:"text"`
	Attachments    []Attachment `json:"attachments"`
	Status         string       `json:"status"` // sent, delivered, read, failed
	CreatedAt      time.Time    `json:"created_at"`
}

// Conversation event types: the timeline of state changes that reports are
// computed from, together with the messages themselves (which carry their
// own times and senders, so they are not repeated as events).
const (
	EventCreated         = "created"
	EventAssigned        = "assigned"
	EventUnassigned      = "unassigned"
	EventTransferred     = "transferred"
	EventStatusChanged   = "status_changed"
	EventReopened        = "reopened"
	EventNoteAdded       = "note_added"
	EventPriorityChanged = "priority_changed"
	EventLabelsChanged   = "labels_changed"
	EventHandoff         = "handoff"        // the bot gave the conversation to a human; data: reason, intent, angry
	EventIntentChanged   = "intent_changed" // an agent corrected the intent; data: from, to
)

// Event is one entry of a conversation's timeline.
type Event struct {
	ID             string         `json:"id"`
	ConversationID string         `json:"conversation_id"`
	Type           string         `json:"type"`
	ActorType      string         `json:"actor_type"` // customer, agent, bot, system
	ActorID        string         `json:"actor_id"`
	ActorName      string         `json:"actor_name"`
	Data           map[string]any `json:"data"`
	CreatedAt      time.Time      `json:"created_at"`
}

// ConversationFilter selects conversations for a reader's inbox list.
type ConversationFilter struct {
	View      string // mine, unassigned, team, all
	Status    string
	Channel   string
	Label     string
	ContactID string
	Cursor    string
	Limit     int
}

// Inbox is one channel instance, such as the shop's web chat.
type Inbox struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Channel        string   `json:"channel"`
	WebsiteToken   string   `json:"website_token"`
	IdentitySecret string   `json:"identity_secret,omitempty"` // for the shop's server to sign identify calls
	TeamID         string   `json:"team_id"`
	Greeting       string   `json:"greeting"`
	OfflineMessage string   `json:"offline_message"`
	PrechatEnabled bool     `json:"prechat_enabled"`
	PrechatFields  []string `json:"prechat_fields"`
	ReopenHours    int      `json:"reopen_window_hours"` // a customer message within this many hours of resolving reopens
	BotEnabled     bool     `json:"bot_enabled"`         // new conversations start with the bot
	BotThreshold   float64  `json:"bot_threshold"`       // the bot answers only at or above this confidence (0–1)
	// Survey is what the customer is asked when a conversation is resolved:
	// "" (nothing), "csat", "nps" or "both"; the link expires after
	// SurveyExpiryHours (0: 72).
	Survey            string    `json:"survey"`
	SurveyExpiryHours int       `json:"survey_expiry_hours"`
	CreatedAt         time.Time `json:"created_at"`
}

// CannedReply is a saved answer (话术) an agent inserts with "/shortcut".
type CannedReply struct {
	ID        string    `json:"id"`
	Shortcut  string    `json:"shortcut"`
	Title     string    `json:"title"`
	Content   string    `json:"content"`
	Scope     string    `json:"scope"` // personal, team, shared
	TeamID    string    `json:"team_id,omitempty"`
	OwnerID   string    `json:"owner_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Webhook events.
const (
	HookMessageCreated      = "message.created"
	HookConversationCreated = "conversation.created"
	HookConversationUpdated = "conversation.updated"
	HookConversationResolve = "conversation.resolved"
)

// WebhookEvents lists the events a webhook can subscribe to.
var WebhookEvents = []string{HookMessageCreated, HookConversationCreated, HookConversationUpdated, HookConversationResolve}

// Webhook sends events to a URL, signed with HMAC-SHA256 of the body.
type Webhook struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Secret    string    `json:"secret,omitempty"` // shown once, at creation
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// WebhookDelivery is one event sent (or to be sent) to a webhook.
type WebhookDelivery struct {
	ID             string     `json:"id"`
	WebhookID      string     `json:"webhook_id"`
	Event          string     `json:"event"`
	Payload        string     `json:"payload"`
	Status         string     `json:"status"` // pending, delivered, failed
	Attempts       int        `json:"attempts"`
	NextAttemptAt  time.Time  `json:"next_attempt_at"`
	LastStatusCode int        `json:"last_status_code"`
	LastError      string     `json:"last_error"`
	CreatedAt      time.Time  `json:"created_at"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`
}
