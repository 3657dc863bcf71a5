package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/store"
	"kefu/text"
)

// benchTexts returns real customer-service lines (JDDC) when the shared data
// is present, else generated ones.
func benchTexts() []string {
	f, err := os.Open("../../shared/data/jddc/chat_dev.tsv")
	if err == nil {
		defer f.Close()
		var out []string
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if parts := strings.Split(sc.Text(), "\t"); len(parts) >= 7 && parts[6] != "" {
				out = append(out, parts[6])
			}
		}
		return out
	}
	words := []string{"快递", "退款", "发票", "订单", "售后", "优惠券", "价保", "白条", "换货", "invoice", "refund", "物流"}
	var out []string
	for i := 0; i < 5000; i++ {
		out = append(out, fmt.Sprintf("请问%s什么时候%s，单号%d", words[i%len(words)], words[(i*7)%len(words)], i))
	}
	return out
}

// BenchmarkSearchMessages searches KEFU_BENCH_MESSAGES messages (default
// 1,000,000) on SQLite: run with `make bench-search`.
func BenchmarkSearchMessages(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("KEFU_BENCH_MESSAGES")); err == nil {
		n = v
	}
	ctx := context.Background()
	db, err := store.Open(ctx, "", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	fill(b, db, n)
	vis := store.Visibility{All: true}
	for _, q := range []string{"快递", "到哪了", "发票 专票", "价保", "refund", "京东e卡"} {
		terms := text.Terms(q)
		b.Run(q, func(b *testing.B) {
			hits := 0
			for b.Loop() {
				res, err := db.SearchMessages(ctx, vis, terms, 20)
				if err != nil {
					b.Fatal(err)
				}
				hits = len(res)
			}
			b.ReportMetric(float64(hits), "hits")
		})
	}
}

// fill writes n messages over n/100 conversations, with the same SQL the
// service uses, in large transactions.
func fill(b *testing.B, db *store.DB, n int) {
	ctx := context.Background()
	start := time.Now()
	texts := benchTexts()
	now := time.Now()
	sql := db.SQL()
	exec := func(q string, args ...any) {
		if _, err := sql.Exec(db.Dialect().Rebind(q), args...); err != nil {
			b.Fatal(err)
		}
	}
	exec(`INSERT INTO inboxes (id, name, channel, website_token, identity_secret, settings, created_at, updated_at) VALUES ('i', 'bench', 'webchat', 'wt', X'00', '{}', 0, 0)`)
	exec(`INSERT INTO contacts (id, shop_user_id, key_id, created_at, updated_at) VALUES ('c', '', 1, 0, 0)`)
	convs := max(n/100, 1)
	for done := 0; done < n; {
		err := db.InTx(ctx, func(q *store.Queries) error {
			for i := 0; i < 20_000 && done < n; i++ {
				conv := fmt.Sprintf("conv-%d", done%convs)
				if done < convs {
					c := kefu.Conversation{ID: conv, InboxID: "i", ContactID: "c", Channel: "webchat", Status: "open",
						Priority: "normal", CreatedAt: now, LastMessageAt: now, UpdatedAt: now}
					if err := q.InsertConversation(ctx, c); err != nil {
						return err
					}
				}
				m := kefu.Message{ID: kefu.NewID(), ConversationID: conv, SenderType: kefu.SenderCustomer,
					Text: texts[done%len(texts)], Status: "sent", CreatedAt: now.Add(time.Duration(done) * time.Millisecond)}
				if err := q.AppendMessage(ctx, &m); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("filled %d messages in %s", n, time.Since(start).Round(time.Second))
}
