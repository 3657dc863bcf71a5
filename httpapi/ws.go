package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"kefu"
	"kefu/channel/webchat"
	"kefu/realtime"
)

// frame is one WebSocket message in either direction; see docs/realtime.md.
type frame struct {
	Type           string             `json:"type"`
	ConversationID *string            `json:"conversation_id,omitempty"`
	Conversation   *kefu.Conversation `json:"conversation,omitempty"`
	Message        *kefu.Message      `json:"message,omitempty"`
	Notice         *kefu.Notice       `json:"notice,omitempty"`
	ClientID       string             `json:"client_id,omitempty"`
	Text           string             `json:"text,omitempty"`
	Attachments    []string           `json:"attachments,omitempty"`
	Since          int64              `json:"since,omitempty"`
	Seq            int64              `json:"seq,omitempty"`
	LastSeq        *int64             `json:"last_seq,omitempty"`
	On             *bool              `json:"on,omitempty"`
	Online         *bool              `json:"online,omitempty"`
	Who            string             `json:"who,omitempty"`
	Name           string             `json:"name,omitempty"`
	Phone          string             `json:"phone,omitempty"`
	OrderNo        string             `json:"order_no,omitempty"`
	Code           string             `json:"code,omitempty"`
	MessageID      string             `json:"message_id,omitempty"`
	Helpful        *bool              `json:"helpful,omitempty"`
	// Queue is a waiting customer's place; a queue frame without it means
	// an agent has the conversation.
	Queue *realtime.QueuePosition `json:"queue,omitempty"`
	// Survey asks the customer to rate the conversation just resolved.
	Survey *realtime.SurveyAsk `json:"survey,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// writeTimeout bounds one write to a socket; a client that cannot take a
// frame in that time is dropped and resumes after reconnecting.
const writeTimeout = 10 * time.Second

func send(ctx context.Context, c *websocket.Conn, f frame) error {
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return wsjson.Write(ctx, c, f)
}

func errorFrame(err error, clientID string) frame {
	return frame{Type: "error", Code: kefu.ErrorCode(err), Text: kefu.ErrorMessage(err), ClientID: clientID}
}

// closeStatus reports a normal end of a socket, which is not worth logging.
func closeStatus(err error) bool {
	return err == nil || errors.Is(err, context.Canceled) || websocket.CloseStatus(err) != -1
}

// agentSocket streams live events to an agent's console.
func (s *Server) agentSocket(w http.ResponseWriter, r *http.Request) error {
	a := kefu.ActorFrom(r.Context())
	if !a.Can(kefu.PermConversationsViewOwn) && !a.Can(kefu.PermConversationsViewTeam) && !a.Can(kefu.PermConversationsViewAll) {
		return kefu.Errorf(kefu.EFORBIDDEN, "You need a conversations.view permission for this.")
	}
	conn, err := websocket.Accept(w, r, nil) // same origin only: the console's cookie authenticates it
	if err != nil {
		return nil
	}
	defer conn.CloseNow()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	sub := s.App.Bus.SubscribeAgent(a.UserID)
	defer s.App.Bus.Unsubscribe(sub)

	go func() {
		defer cancel()
		for {
			var f frame
			if err := wsjson.Read(ctx, conn, &f); err != nil {
				return
			}
			s.agentFrame(ctx, conn, a, f)
		}
	}()

	// visible caches whether this agent may see each conversation; a change
	// of the conversation refreshes it.
	visible := map[string]bool{}
	canSee := func(ev *realtime.Event) bool {
		if ev.Conversation != nil {
			visible[ev.ConversationID] = s.App.Inbox.CanSee(ctx, a, *ev.Conversation)
		}
		v, ok := visible[ev.ConversationID]
		if !ok {
			c, err := s.App.DB.Conversation(ctx, ev.ConversationID)
			v = err == nil && s.App.Inbox.CanSee(ctx, a, c)
			visible[ev.ConversationID] = v
		}
		return v
	}
	for {
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusNormalClosure, "")
			return nil
		case ev, open := <-sub.C:
			if !open {
				conn.Close(websocket.StatusTryAgainLater, "fell behind; reconnect")
				return nil
			}
			var f frame
			shared := false // the frame is the same for every agent who may see it
			switch ev.Type {
			case realtime.TypeNotice:
				if !containsString(ev.UserIDs, a.UserID) {
					continue
				}
				f = frame{Type: "notice", Notice: ev.Notice}
			case realtime.TypeConversation:
				if !canSee(ev) {
					continue
				}
				f, shared = frame{Type: "conversation", Conversation: ev.Conversation}, true
			case realtime.TypeMessage:
				if !canSee(ev) {
					continue
				}
				msg := *ev.Message
				s.App.Uploads.Sign(msg.Attachments)
				f, shared = frame{Type: "message", ConversationID: ptr(ev.ConversationID), Message: &msg}, true
			case realtime.TypeTyping, realtime.TypeRead:
				if ev.Who == a.UserID || !canSee(ev) {
					continue
				}
				f = frame{Type: ev.Type, ConversationID: ptr(ev.ConversationID), On: ptr(ev.On), Who: ev.Who, Name: ev.Name, Seq: ev.Seq}
			default:
				continue
			}
			if shared {
				data, err := ev.Wire.Bytes(func() ([]byte, error) { return json.Marshal(f) })
				if err == nil {
					err = sendBytes(ctx, conn, data)
				}
				if err != nil {
					return nil
				}
				continue
			}
			if err := send(ctx, conn, f); err != nil {
				return nil
			}
		}
	}
}

func sendBytes(ctx context.Context, c *websocket.Conn, data []byte) error {
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return c.Write(ctx, websocket.MessageText, data)
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// agentFrame handles a frame from the console: typing, read, ping.
func (s *Server) agentFrame(ctx context.Context, conn *websocket.Conn, a *kefu.Actor, f frame) {
	ctx = kefu.NewContext(ctx, a)
	conv := ""
	if f.ConversationID != nil {
		conv = *f.ConversationID
	}
	switch f.Type {
	case "ping":
		_ = send(ctx, conn, frame{Type: "pong"})
	case "activity":
		// The agent is at the console: keep them from being set away.
		if err := s.App.Routing.Touch(ctx, a.UserID); err != nil {
			s.App.Log.Error("recording agent activity", "err", err)
		}
	case "typing":
		if c, err := s.App.Inbox.Get(ctx, conv); err == nil {
			s.App.Bus.Publish(realtime.Event{Type: realtime.TypeTyping, ConversationID: c.ID, Who: a.UserID, Name: a.Name, On: f.On != nil && *f.On})
		}
	case "read":
		if err := s.App.Inbox.MarkRead(ctx, conv, f.Seq); err != nil {
			_ = send(ctx, conn, errorFrame(err, ""))
		}
	}
}

// widgetSocket is the customer's live connection from the web widget.
func (s *Server) widgetSocket(w http.ResponseWriter, r *http.Request) error {
	v, err := s.App.Webchat.Visitor(r.Context(), r.URL.Query().Get("visitor_token"))
	if err != nil {
		return err
	}
	// Any shop page may connect: the visitor token, not a cookie, is the credential.
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return nil
	}
	defer conn.CloseNow()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	ws := &widgetConn{s: s, conn: conn, visitor: v}
	ws.conversationID = s.currentConversation(ctx, v)
	ws.sub = s.App.Bus.SubscribeConversation(ws.followKey())
	defer s.App.Bus.Unsubscribe(ws.sub)

	frames := make(chan frame)
	go func() {
		defer cancel()
		for {
			var f frame
			if err := wsjson.Read(ctx, conn, &f); err != nil {
				return
			}
			select {
			case frames <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	// One goroutine writes, in order: replies to the customer's frames and
	// live events, so sequence numbers reach the widget ascending.
	for {
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusNormalClosure, "")
			return nil
		case f := <-frames:
			if err := ws.handle(ctx, f); err != nil {
				return nil
			}
		case ev, open := <-ws.sub.C:
			if !open {
				conn.Close(websocket.StatusTryAgainLater, "fell behind; reconnect")
				return nil
			}
			if err := ws.event(ctx, ev); err != nil {
				return nil
			}
		}
	}
}

func (s *Server) currentConversation(ctx context.Context, v webchat.Visitor) string {
	if v.ContactID == "" {
		return ""
	}
	if c, err := s.App.DB.LatestConversation(ctx, v.Inbox.ID, v.ContactID); err == nil {
		return c.ID
	}
	return ""
}

// widgetConn is one customer socket's state.
type widgetConn struct {
	s              *Server
	conn           *websocket.Conn
	visitor        webchat.Visitor
	sub            *realtime.Sub
	conversationID string
	sent           int64 // highest seq sent to the widget
	ready          bool  // hello answered: live messages may flow
}

// followKey is the bus key the socket listens on: its conversation, or the
// visitor until a first message starts one.
func (c *widgetConn) followKey() string {
	if c.conversationID != "" {
		return c.conversationID
	}
	return "visitor:" + c.visitor.ID
}

func (c *widgetConn) handle(ctx context.Context, f frame) error {
	switch f.Type {
	case "ping":
		return send(ctx, c.conn, frame{Type: "pong"})
	case "hello":
		c.sent, c.ready = f.Since, true
		online := c.s.App.Bus.AgentsOnline()
		var conv *string
		var queue *realtime.QueuePosition
		last := int64(0)
		if c.conversationID != "" {
			conv = ptr(c.conversationID)
			if cv, err := c.s.App.DB.Conversation(ctx, c.conversationID); err == nil {
				last = cv.LastSeq
				queue, _ = c.s.App.Routing.PositionOf(ctx, cv)
			}
		}
		if err := send(ctx, c.conn, frame{Type: "ready", ConversationID: conv, LastSeq: &last, Online: &online}); err != nil {
			return err
		}
		if queue != nil {
			if err := send(ctx, c.conn, frame{Type: "queue", Queue: queue}); err != nil {
				return err
			}
		}
		return c.catchUp(ctx)
	case "message":
		msg, conv, err := c.s.App.Webchat.Ingest(ctx, &c.visitor, f.ClientID, f.Text, f.Attachments)
		if err != nil {
			return send(ctx, c.conn, errorFrame(err, f.ClientID))
		}
		if conv.ID != c.conversationID {
			c.conversationID = conv.ID
			c.s.App.Bus.Follow(c.sub, conv.ID)
		}
		c.s.App.Uploads.Sign(msg.Attachments)
		if c.ready && msg.Seq == c.sent+1 {
			c.sent = msg.Seq // the ack carries it; the live copy need not follow
		}
		return send(ctx, c.conn, frame{Type: "ack", ClientID: f.ClientID, Message: &msg})
	case "typing":
		if c.conversationID != "" {
			c.s.App.Bus.Publish(realtime.Event{Type: realtime.TypeTyping, ConversationID: c.conversationID,
				Who: kefu.SenderCustomer, On: f.On != nil && *f.On})
		}
	case "read":
		if c.conversationID != "" {
			_ = c.s.App.Inbox.CustomerRead(ctx, c.conversationID, f.Seq)
		}
	case "prechat":
		if err := c.s.App.Webchat.Prechat(ctx, c.visitor, f.Name, f.Phone, f.OrderNo); err != nil {
			return send(ctx, c.conn, errorFrame(err, ""))
		}
	case "feedback":
		// "Did this help?" on a bot answer.
		if c.conversationID == "" || f.Helpful == nil {
			return send(ctx, c.conn, errorFrame(kefu.Invalid("helpful", "Say whether the answer helped."), ""))
		}
		if err := c.s.App.Inbox.BotFeedback(ctx, c.conversationID, f.MessageID, *f.Helpful); err != nil {
			return send(ctx, c.conn, errorFrame(err, ""))
		}
	default:
		return send(ctx, c.conn, errorFrame(kefu.Invalid("type", "Unknown frame type %q.", f.Type), f.ClientID))
	}
	return nil
}

// catchUp sends every customer-visible message after the last one sent.
func (c *widgetConn) catchUp(ctx context.Context) error {
	if c.conversationID == "" {
		return nil
	}
	msgs, err := c.s.App.Inbox.CustomerMessages(ctx, c.conversationID, c.sent)
	if err != nil {
		return send(ctx, c.conn, errorFrame(err, ""))
	}
	for i := range msgs {
		if err := send(ctx, c.conn, frame{Type: "message", Message: &msgs[i]}); err != nil {
			return err
		}
		c.sent = msgs[i].Seq
	}
	return nil
}

func (c *widgetConn) event(ctx context.Context, ev *realtime.Event) error {
	switch ev.Type {
	case realtime.TypeMessage:
		m := ev.Message
		if !c.ready || m.Seq <= c.sent {
			return nil
		}
		if m.Private {
			return nil
		}
		if m.Seq > c.sent+1 {
			// Messages may commit out of order, and notes take numbers the
			// customer never sees: fill the gap from the database.
			return c.catchUp(ctx)
		}
		msg := *m
		c.s.App.Uploads.Sign(msg.Attachments)
		c.sent = m.Seq
		return send(ctx, c.conn, frame{Type: "message", Message: &msg})
	case realtime.TypeTyping:
		if ev.Who != kefu.SenderCustomer {
			return send(ctx, c.conn, frame{Type: "typing", On: ptr(ev.On), Name: ev.Name})
		}
	case realtime.TypeRead:
		if ev.Who != kefu.SenderCustomer {
			return send(ctx, c.conn, frame{Type: "read", Seq: ev.Seq})
		}
	case realtime.TypeStatus:
		return send(ctx, c.conn, frame{Type: "status", Online: ptr(ev.Online)})
	case realtime.TypeQueue:
		if c.ready {
			return send(ctx, c.conn, frame{Type: "queue", Queue: ev.Queue})
		}
	case realtime.TypeSurvey:
		if c.ready {
			return send(ctx, c.conn, frame{Type: "survey", Survey: ev.Survey})
		}
	}
	return nil
}
