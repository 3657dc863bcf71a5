package routing_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kefu"
	"kefu/app/apptest"
	"kefu/routing"
	"kefu/store"
	"kefu/store/storetest"
)

// BenchmarkDecisionAt1000Agents10kWaiting measures what one assignment
// decision costs when 1,000 agents are in the team and 10,000 conversations
// wait, on SQLite: reading the agents with their loads, reading the head of
// the queue, and choosing (Decide). The claim itself is one transaction.
func BenchmarkDecisionAt1000Agents10kWaiting(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	apptest.Open(b, db, &kefu.FixedClock{T: now})
	team := kefu.Team{ID: kefu.NewID(), Name: "售后", CreatedAt: now}
	for i := range 1000 {
		id := fmt.Sprintf("agent-%04d", i)
		if _, err := db.SQL().Exec(`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at, status, capacity)
			VALUES (?, ?, ?, 'agent', 'x', 0, 0, 'online', '{"chat":5}')`, id, id+"@example.com", id); err != nil {
			b.Fatal(err)
		}
		team.MemberIDs = append(team.MemberIDs, id)
	}
	if err := db.InsertTeam(ctx, team); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO inboxes (id, name, channel, website_token, identity_secret, created_at, updated_at) VALUES ('inbox', '官网', 'webchat', 'token', 'secret', 0, 0)`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO contacts (id, key_id, created_at, updated_at) VALUES ('contact', 1, 0, 0)`); err != nil {
		b.Fatal(err)
	}
	priorities := []string{"low", "normal", "high", "urgent"}
	err := db.InTx(ctx, func(q *store.Queries) error {
		for i := range 10000 {
			at := now.Add(time.Duration(i) * time.Second)
			c := kefu.Conversation{ID: kefu.NewID(), InboxID: "inbox", ContactID: "contact", Channel: kefu.ChannelWebchat, Status: kefu.StatusOpen,
				Priority: priorities[i%4], TeamID: team.ID, Labels: []string{}, CreatedAt: at, LastMessageAt: at, UpdatedAt: at}
			if err := q.InsertConversation(ctx, c); err != nil {
				return err
			}
			if err := q.SetQueued(ctx, c.ID, &at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		agents, err := db.Agents(ctx)
		if err != nil {
			b.Fatal(err)
		}
		queue, err := db.Queue(ctx, []string{team.ID}, 1)
		if err != nil || len(queue) != 1 {
			b.Fatal(err)
		}
		t, err := db.Team(ctx, team.ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(routing.Decide(queue[0], &t, agents, "")) != 1000 {
			b.Fatal("not every agent is a candidate")
		}
	}
}
