package kb

import (
	"context"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/store"
	"kefu/store/storetest"
)

// TestSearchMatchesPlainScoring checks the inverted index against scoring
// every phrasing (refIndex) on the shipped knowledge base, in both
// languages, asking every question, alternative and article title and a
// few odd questions.
func TestSearchMatchesPlainScoring(t *testing.T) {
	ctx := context.Background()
	s := &Service{DB: storetest.Open(t, store.SQLite), Clock: &kefu.FixedClock{T: time.Now()}}
	editor := kefu.NewContext(ctx, &kefu.Actor{UserID: "u1", Permissions: []kefu.Permission{kefu.PermKBManage}})
	if res, err := s.LoadDefaults(editor); err != nil || len(res.Problems) != 0 {
		t.Fatalf("defaults: %+v %v", res, err)
	}
	for _, locale := range kefu.Locales {
		faqs, err := s.PublishedFAQs(ctx, locale)
		if err != nil {
			t.Fatal(err)
		}
		articles, err := s.PublishedArticles(ctx, locale)
		if err != nil {
			t.Fatal(err)
		}
		if len(faqs) == 0 || len(articles) == 0 {
			t.Fatalf("%s: %d entries, %d articles", locale, len(faqs), len(articles))
		}
		ix, ref := newIndex(faqs, articles), newRefIndex(faqs, articles)
		queries := []string{"？？", "zzzz 不存在的词", "退货 退货 退货", "iPhone15 屏幕碎了，怎么办", "好", "Where is my ORDER #12345?"}
		for _, f := range faqs {
			queries = append(queries, f.Question, strings.Join(f.Alternatives, "，"))
			queries = append(queries, f.Alternatives...)
		}
		for _, a := range articles {
			queries = append(queries, a.Title)
		}
		for _, q := range queries {
			for _, k := range []int{1, 3, 10, 50} {
				sameHits(t, q, ix.search(q, k), ref.search(q, k))
			}
		}
		// A question asked in the words of an entry finds it first, fully covered.
		for _, f := range faqs {
			hits := ix.search(f.Question, 1)
			if len(hits) != 1 || hits[0].FAQ == nil || hits[0].Confidence < 0.999 {
				t.Errorf("%s %q: %+v", locale, f.Question, hits)
			}
		}
	}
	// An empty knowledge base finds nothing.
	if hits := newIndex(nil, nil).search("快递", 5); len(hits) != 0 {
		t.Fatalf("empty index: %+v", hits)
	}
}

// TestSearchConcurrently asks from several goroutines at once (run with
// -race): searches share the index and take their working memory from a pool.
func TestSearchConcurrently(t *testing.T) {
	ctx := context.Background()
	s := &Service{DB: storetest.Open(t, store.SQLite), Clock: &kefu.FixedClock{T: time.Now()}}
	editor := kefu.NewContext(ctx, &kefu.Actor{UserID: "u1", Permissions: []kefu.Permission{kefu.PermKBManage}})
	if _, err := s.LoadDefaults(editor); err != nil {
		t.Fatal(err)
	}
	want, err := s.Search(ctx, "zh-CN", "快递到哪了", 5)
	if err != nil || len(want) == 0 {
		t.Fatalf("%+v %v", want, err)
	}
	done := make(chan error)
	for range 4 {
		go func() {
			for range 50 {
				got, err := s.Search(ctx, "zh-CN", "快递到哪了", 5)
				if err == nil && (len(got) != len(want) || got[0].FAQ.ID != want[0].FAQ.ID || got[0].Score != want[0].Score) {
					err = kefu.Errorf(kefu.EINTERNAL, "got %+v", got[0])
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
