// Package realtime carries live events inside one kefu process: new
// messages, conversation changes, typing and presence, from the services that
// make them to the WebSocket connections of agents and customers.
//
// Delivery is best-effort by design: a subscriber that falls behind is cut
// off and reconnects, and the client then asks for what it missed by message
// sequence number. Durable state is always in the database first.
package realtime

import (
	"sync"

	"kefu"
)

// Event types.
const (
	TypeMessage      = "message"
	TypeConversation = "conversation"
	TypeTyping       = "typing"
	TypeRead         = "read"
	TypeStatus       = "status" // agents' online state changed
	TypeNotice       = "notice"
	TypeQueue        = "queue"  // a waiting customer's place in the queue; Queue nil: no longer waiting
	TypeSurvey       = "survey" // a satisfaction survey for the customer; Survey says what to ask
)

// SurveyAsk is what the widget needs to show a survey card.
type SurveyAsk struct {
	Token     string `json:"token"`
	Kind      string `json:"kind"` // csat, nps or both
	ExpiresAt string `json:"expires_at"`
}

// QueuePosition is a waiting customer's place in the queue.
type QueuePosition struct {
	Ahead           int   `json:"ahead"` // conversations before theirs
	EstimatedWaitMS int64 `json:"estimated_wait_ms"`
}

// Event is one live update.
type Event struct {
	Type           string
	ConversationID string
	Conversation   *kefu.Conversation
	Message        *kefu.Message
	// Typing and read receipts.
	Who    string // "customer" or a user id
	Name   string
	On     bool
	Seq    int64
	Online bool
	// Notices go to these users only.
	UserIDs []string
	Notice  *kefu.Notice
	// Queue is set on TypeQueue events, Survey on TypeSurvey events.
	Queue  *QueuePosition
	Survey *SurveyAsk

	// Wire caches the event's encoding for subscribers that all send it the
	// same way, so a message to a hundred agents is encoded once.
	Wire *Wire

	// Remote is set on events that came from another kefu node; they are
	// not relayed back.
	Remote bool
}

// Wire holds an event's encoded form, made once on first use.
type Wire struct {
	once sync.Once
	data []byte
	err  error
}

// Bytes returns the encoding, calling encode the first time only.
func (w *Wire) Bytes(encode func() ([]byte, error)) ([]byte, error) {
	w.once.Do(func() { w.data, w.err = encode() })
	return w.data, w.err
}

// bufferSize is how many events an agent may fall behind before being cut
// off (then the console reconnects and reloads); at a peak of 10,000
// customers writing at once 512 was too few. Events are pointers, so a full
// buffer costs 64 KB. A customer follows one conversation and needs fewer,
// but its socket drains them only between its own messages: while one
// waits for the database at a peak, the bot's and the agents' events pile
// up, and 32 cut customers off at 50 writing at once (kefu bench
// --customers 50). 256 cost 2 KB per customer.
const (
	bufferSize         = 8192
	customerBufferSize = 256
)

// Sub is one subscription. Read events from C; C is closed when the
// subscription ends (Unsubscribe, or the subscriber fell behind). Events are
// shared between subscribers: read them, never change them.
type Sub struct {
	C              chan *Event
	conversationID string // "" for every conversation (agents)
	agentID        string // set for agent subscriptions: they count toward presence
	closed         bool
}

// Bus fans events out to subscribers.
type Bus struct {
	// Relay, when set, receives every event published on this node, to pass
	// it to the other nodes (see app's PostgreSQL bridge).
	Relay func(Event)

	mu     sync.Mutex
	all    map[*Sub]struct{}
	byConv map[string]map[*Sub]struct{}
	agents map[string]int // open agent subscriptions per user
}

// NewBus returns an empty bus.
func NewBus() *Bus {
	return &Bus{all: map[*Sub]struct{}{}, byConv: map[string]map[*Sub]struct{}{}, agents: map[string]int{}}
}

// SubscribeAgent subscribes an agent to every conversation event; the
// service filters what the agent may see. It counts the agent as online.
func (b *Bus) SubscribeAgent(userID string) *Sub {
	s := &Sub{C: make(chan *Event, bufferSize), agentID: userID}
	b.mu.Lock()
	b.all[s] = struct{}{}
	b.agents[userID]++
	first := len(b.agents) == 1 && b.agents[userID] == 1
	b.mu.Unlock()
	if first {
		b.Publish(Event{Type: TypeStatus, Online: true})
	}
	return s
}

// SubscribeConversation subscribes a customer to one conversation.
// The id may be changed later with Follow when a conversation starts.
func (b *Bus) SubscribeConversation(conversationID string) *Sub {
	s := &Sub{C: make(chan *Event, customerBufferSize)}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.follow(s, conversationID)
	return s
}

// Follow moves a customer subscription to another conversation.
func (b *Bus) Follow(s *Sub, conversationID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s.closed {
		return
	}
	if set := b.byConv[s.conversationID]; set != nil {
		delete(set, s)
	}
	b.follow(s, conversationID)
}

func (b *Bus) follow(s *Sub, id string) {
	s.conversationID = id
	if b.byConv[id] == nil {
		b.byConv[id] = map[*Sub]struct{}{}
	}
	b.byConv[id][s] = struct{}{}
}

// Unsubscribe ends a subscription and closes its channel.
func (b *Bus) Unsubscribe(s *Sub) {
	b.mu.Lock()
	last := b.remove(s)
	b.mu.Unlock()
	if last {
		b.Publish(Event{Type: TypeStatus, Online: false})
	}
}

// remove drops s; it reports whether the last agent went offline. Call with mu held.
func (b *Bus) remove(s *Sub) bool {
	if s.closed {
		return false
	}
	s.closed = true
	close(s.C)
	delete(b.all, s)
	if set := b.byConv[s.conversationID]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(b.byConv, s.conversationID)
		}
	}
	if s.agentID != "" {
		b.agents[s.agentID]--
		if b.agents[s.agentID] <= 0 {
			delete(b.agents, s.agentID)
		}
		return len(b.agents) == 0
	}
	return false
}

// AgentsOnline reports whether any agent has the console open.
func (b *Bus) AgentsOnline() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.agents) > 0
}

// OnlineAgents returns the ids of agents with the console open.
func (b *Bus) OnlineAgents() map[string]bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make(map[string]bool, len(b.agents))
	for id := range b.agents {
		out[id] = true
	}
	return out
}

// Publish sends an event to the agents and, for conversation events, to the
// customers following that conversation; presence changes go to everyone.
// It never blocks: a subscriber whose buffer is full is cut off.
func (b *Bus) Publish(ev Event) {
	if b.Relay != nil && !ev.Remote {
		b.Relay(ev)
	}
	e := &ev
	if e.Wire == nil {
		e.Wire = &Wire{}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var slow []*Sub
	send := func(s *Sub) {
		select {
		case s.C <- e:
		default:
			slow = append(slow, s)
		}
	}
	for s := range b.all {
		send(s)
	}
	if e.Type == TypeStatus {
		for _, set := range b.byConv {
			for s := range set {
				send(s)
			}
		}
	} else if e.ConversationID != "" {
		for s := range b.byConv[e.ConversationID] {
			send(s)
		}
	}
	for _, s := range slow {
		b.remove(s)
	}
}
