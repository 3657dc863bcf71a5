package app_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/config"
	"kefu/inbox"
	"kefu/realtime"
	"kefu/store"
	"kefu/store/storetest"
)

// TestKeyRotationReencryptsAndOtherProcessesFollow rotates the data key in
// one process (the CLI) while another (the server) keeps running: old rows
// move to the new key, and the server reads them without a restart.
func TestKeyRotationReencryptsAndOtherProcessesFollow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cfg := config.Default()
		cfg.DataDir = t.TempDir()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		server, err := app.OpenDB(ctx, cfg, kefu.SystemClock{}, log, db)
		if err != nil {
			t.Fatal(err)
		}
		cli, err := app.OpenDB(ctx, cfg, kefu.SystemClock{}, log, db)
		if err != nil {
			t.Fatal(err)
		}
		sys := app.System(ctx, "test")
		var ids []string
		for _, phone := range []string{"13811112222", "13811113333", "13811114444"} {
			c, err := server.Contacts.Create(sys, kefu.Contact{Name: "测试", Phone: phone})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		old := server.Vault.ActiveKeyID()
		var progress []int
		id, n, err := cli.RotateKeys(ctx, func(done, total int) { progress = append(progress, done, total) })
		if err != nil {
			t.Fatal(err)
		}
		if id == old || n != 3 || len(progress) == 0 || progress[len(progress)-1] != 3 {
			t.Fatalf("rotate: new key %d (old %d), %d rows, progress %v", id, old, n, progress)
		}
		if left, _ := db.CountContactsNotOnKey(ctx, id); left != 0 {
			t.Fatalf("%d rows still on an old key", left)
		}
		// The server still has only the old keys loaded, yet reads the new rows.
		for _, cid := range ids {
			if _, err := server.Contacts.Get(sys, cid); err != nil {
				t.Fatalf("server reads a re-encrypted row: %v", err)
			}
		}
		v, err := server.Contacts.Reveal(sys, ids[0], kefu.FieldPhone)
		if err != nil || v != "13811112222" {
			t.Fatalf("reveal after rotation: %q %v", v, err)
		}
		// Lookups still work: the blind index key does not rotate.
		page, err := server.Contacts.List(sys, kefu.ContactFilter{Phone: "13811113333"})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("lookup after rotation: %+v %v", page, err)
		}
		// A row the server writes with its stale key is moved by the sweep.
		if _, err := server.Contacts.Create(sys, kefu.Contact{Name: "新", Phone: "13811115555"}); err != nil {
			t.Fatal(err)
		}
		if err := server.KeySweep(ctx); err != nil {
			t.Fatal(err)
		}
		if left, _ := db.CountContactsNotOnKey(ctx, id); left != 0 {
			t.Fatalf("%d rows on an old key after the sweep", left)
		}
		entries, _ := server.Audit.List(sys, kefu.AuditFilter{Action: kefu.AuditKeyRotate})
		if len(entries.Items) != 1 {
			t.Fatal("rotation not audited")
		}
	})
}

// TestNodesSeeEachOthersEvents runs two kefu nodes on one PostgreSQL
// database: a customer message taken by one reaches a subscriber on the other.
func TestNodesSeeEachOthersEvents(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	keyFile := filepath.Join(t.TempDir(), "master.key") // nodes share the master key
	open := func() *app.App {
		db, err := store.Open(ctx, url, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		cfg := config.Default()
		cfg.DataDir, cfg.DatabaseURL, cfg.MasterKeyFile = t.TempDir(), url, keyFile
		a, err := app.OpenDB(ctx, cfg, kefu.SystemClock{}, log, db)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Bridge(ctx); err != nil {
			t.Fatal(err)
		}
		return a
	}
	nodeA := open()
	nodeB := open()
	sys := app.System(ctx, "test")
	ib, err := nodeA.Webchat.CreateInbox(sys, kefu.Inbox{Name: "官网"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := nodeA.Contacts.Create(sys, kefu.Contact{Name: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	agent := nodeB.Bus.SubscribeAgent("u1")
	defer nodeB.Bus.Unsubscribe(agent)
	time.Sleep(300 * time.Millisecond) // let both nodes start listening
	m, _, err := nodeA.Inbox.Ingest(sys, inbox.IncomingMessage{InboxID: ib.ID, ContactID: c.ID, ClientID: "1", Text: "我的快递到哪了"})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-agent.C:
			if ev.Type == realtime.TypeMessage && ev.Message.ID == m.ID && ev.Remote {
				return
			}
		case <-deadline:
			t.Fatal("the other node never heard of the message")
		}
	}
}
