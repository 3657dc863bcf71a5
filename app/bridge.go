package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"kefu"
	"kefu/realtime"
	"kefu/store"
)

// notifyChannel is the PostgreSQL channel kefu nodes tell each other about
// live events on.
const notifyChannel = "kefu_events"

// notice is what travels through NOTIFY: ids and small fields only (payloads
// are limited to 8,000 bytes); the receiver reads messages and conversations
// from the database, where they were committed before the event was sent.
type notice struct {
	Node           string   `json:"node"`
	Type           string   `json:"type"`
	ConversationID string   `json:"conversation_id,omitempty"`
	MessageID      string   `json:"message_id,omitempty"`
	Who            string   `json:"who,omitempty"`
	Name           string   `json:"name,omitempty"`
	On             bool     `json:"on,omitempty"`
	Seq            int64    `json:"seq,omitempty"`
	UserIDs        []string `json:"user_ids,omitempty"`
	NoticeID       string   `json:"notice_id,omitempty"`
	Queued         bool     `json:"queued,omitempty"`
	Ahead          int      `json:"ahead,omitempty"`
	WaitMS         int64    `json:"wait_ms,omitempty"`
}

// Bridge joins this node's event bus to the other nodes' through
// PostgreSQL LISTEN/NOTIFY, so a customer on one node and an agent on
// another see each other live. On SQLite (one node) it does nothing.
func (a *App) Bridge(ctx context.Context) error {
	if a.DB.Dialect() != store.Postgres {
		return nil
	}
	node := kefu.NewID()
	sender, err := pgx.Connect(ctx, a.Config.DatabaseURL)
	if err != nil {
		return err
	}
	outbox := make(chan notice, 4096)
	a.Bus.Relay = func(e realtime.Event) {
		n := notice{Node: node, Type: e.Type, ConversationID: e.ConversationID, Who: e.Who, Name: e.Name, On: e.On,
			Seq: e.Seq, UserIDs: e.UserIDs}
		if e.Type == realtime.TypeStatus {
			return // presence is per node for now
		}
		if e.Message != nil {
			n.MessageID = e.Message.ID
		}
		if e.Notice != nil {
			n.NoticeID = e.Notice.ID
		}
		if e.Queue != nil {
			n.Queued, n.Ahead, n.WaitMS = true, e.Queue.Ahead, e.Queue.EstimatedWaitMS
		}
		select {
		case outbox <- n:
		default:
			a.Log.Warn("dropping a live event for other nodes: the notify queue is full")
		}
	}
	go func() {
		defer sender.Close(context.Background())
		for {
			select {
			case <-ctx.Done():
				return
			case n := <-outbox:
				payload, _ := json.Marshal(n)
				if _, err := sender.Exec(ctx, "SELECT pg_notify($1, $2)", notifyChannel, string(payload)); err != nil && ctx.Err() == nil {
					a.Log.Error("notify other nodes", "err", err)
				}
			}
		}
	}()
	go a.listen(ctx, node)
	return nil
}

// listen receives the other nodes' events and publishes them here,
// reconnecting after a lost connection.
func (a *App) listen(ctx context.Context, node string) {
	for ctx.Err() == nil {
		conn, err := pgx.Connect(ctx, a.Config.DatabaseURL)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+notifyChannel); err == nil {
				for {
					msg, werr := conn.WaitForNotification(ctx)
					if werr != nil {
						err = werr
						break
					}
					var n notice
					if json.Unmarshal([]byte(msg.Payload), &n) == nil && n.Node != node {
						a.relayIn(ctx, n)
					}
				}
			}
			conn.Close(context.Background())
		}
		if ctx.Err() == nil {
			a.Log.Error("listening for other nodes' events; retrying", "err", err)
			time.Sleep(time.Second)
		}
	}
}

func (a *App) relayIn(ctx context.Context, n notice) {
	e := realtime.Event{Type: n.Type, ConversationID: n.ConversationID, Who: n.Who, Name: n.Name, On: n.On, Seq: n.Seq,
		UserIDs: n.UserIDs, Remote: true}
	if n.Queued {
		e.Queue = &realtime.QueuePosition{Ahead: n.Ahead, EstimatedWaitMS: n.WaitMS}
	}
	switch n.Type {
	case realtime.TypeMessage:
		m, err := a.DB.Message(ctx, n.MessageID)
		if err != nil {
			return
		}
		e.Message = &m
	case realtime.TypeConversation:
		c, err := a.DB.Conversation(ctx, n.ConversationID)
		if err != nil {
			return
		}
		e.Conversation = &c
	case realtime.TypeNotice:
		notices, err := a.DB.UserNotices(ctx, firstOf(n.UserIDs), 20)
		if err != nil {
			return
		}
		for i := range notices {
			if notices[i].ID == n.NoticeID {
				e.Notice = &notices[i]
			}
		}
		if e.Notice == nil {
			return
		}
	}
	a.Bus.Publish(e)
}

func firstOf(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}
