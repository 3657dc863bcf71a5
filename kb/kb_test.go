package kb_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/kb"
	"kefu/store"
	"kefu/store/storetest"
)

func actor(perms ...kefu.Permission) context.Context {
	return kefu.NewContext(context.Background(), &kefu.Actor{UserID: "u1", Name: "编辑", Permissions: perms})
}

func TestArticlesKeepRevisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := &kb.Service{DB: db, Clock: &kefu.FixedClock{T: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}}
		editor := actor(kefu.PermKBManage)
		agent := actor(kefu.PermConversationsReply)
		if _, err := s.CreateArticle(agent, kefu.Article{Locale: "zh-CN", Slug: "a", Title: "t", Body: "b"}); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			t.Fatalf("an agent writes an article: %v", err)
		}
		if _, err := s.CreateArticle(editor, kefu.Article{Locale: "fr", Slug: "a", Title: "t", Body: "b"}); kefu.ErrorField(err) != "locale" {
			t.Fatalf("bad locale: %v", err)
		}
		a, err := s.CreateArticle(editor, kefu.Article{Locale: "zh-CN", Slug: "returns-7-day", Title: "七天无理由退货", Body: "签收次日起 7 天内……", Status: "published"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateArticle(editor, kefu.Article{Locale: "zh-CN", Slug: "returns-7-day", Title: "x", Body: "y"}); kefu.ErrorField(err) != "slug" {
			t.Fatalf("duplicate slug: %v", err)
		}
		body := "签收次日起 7 天内，商品完好即可退货。"
		a, err = s.UpdateArticle(editor, a.ID, kb.ArticlePatch{Body: &body})
		if err != nil || a.Revision != 2 {
			t.Fatalf("update: %+v %v", a, err)
		}
		revs, err := s.Revisions(agent, a.ID)
		if err != nil || len(revs) != 2 || revs[1].Body != "签收次日起 7 天内……" {
			t.Fatalf("revisions: %+v %v", revs, err)
		}
		draft, _ := s.CreateArticle(editor, kefu.Article{Locale: "zh-CN", Slug: "draft", Title: "草稿", Body: "未完成"})
		pub, _ := s.PublishedArticles(context.Background(), "zh-CN")
		if len(pub) != 1 || pub[0].ID != a.ID || draft.Status != "draft" {
			t.Fatalf("published: %+v", pub)
		}

		// Export to a zip of Markdown files and import it again elsewhere.
		var zipBuf bytes.Buffer
		if err := s.ExportArticlesZip(editor, &zipBuf); err != nil {
			t.Fatal(err)
		}
		other := &kb.Service{DB: storetest.Open(t, store.SQLite), Clock: s.Clock}
		res, err := other.ImportArticles(editor, "kb.zip", zipBuf.Bytes())
		if err != nil || res.Created != 2 || len(res.Problems) != 0 {
			t.Fatalf("import: %+v %v", res, err)
		}
		got, _ := other.PublishedArticles(context.Background(), "zh-CN")
		if len(got) != 1 || got[0].Body != body || got[0].Title != "七天无理由退货" {
			t.Fatalf("round trip: %+v", got)
		}
		// One Markdown file, named slug.locale.md, with front matter.
		md := "---\ntitle: Invoices\ncategory: Orders\nintent: invoice\n---\n\nHow to get an invoice."
		if res, err := other.ImportArticles(editor, "invoices.en.md", []byte(md)); err != nil || res.Created != 1 {
			t.Fatalf("markdown import: %+v %v", res, err)
		}
		if res, _ := other.ImportArticles(editor, "no-locale.md", []byte(md)); len(res.Problems) != 1 || res.Problems[0].Field != "file" {
			t.Fatalf("a badly named file: %+v", res)
		}
	})
}

func TestFAQImportKeepsGoodRowsAndReportsBadOnes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := &kb.Service{DB: db, Clock: &kefu.FixedClock{T: time.Now()}}
		editor := actor(kefu.PermKBManage)
		csv := "locale,category,intent,question,alternatives,answer,status\n" +
			"zh-CN,物流,logistics,我的快递到哪了,快递到哪了 | 物流不动了,亲，您可在「我的订单」查看物流。,published\n" +
			"zh-CN,物流,shipping,发货时间,,一般 48 小时内发货。,published\n" + // unknown intent
			"zh-CN,发票,invoice,,没有问题,有答案,published\n" + // no question
			"en,Orders,order,How do I cancel an order?,cancel my order,Open My Orders and choose Cancel.,published\n"
		res, err := s.ImportFAQCSV(editor, strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 2 || len(res.Problems) != 2 || res.Problems[0].Item != "line 3" || res.Problems[0].Field != "intent" ||
			res.Problems[1].Field != "question" {
			t.Fatalf("import: %+v", res)
		}
		// Importing again updates instead of duplicating.
		res, _ = s.ImportFAQCSV(editor, strings.NewReader(csv))
		if res.Updated != 2 || res.Created != 0 {
			t.Fatalf("second import: %+v", res)
		}
		list, _ := s.FAQs(editor, "zh-CN")
		if len(list) != 1 || len(list[0].Alternatives) != 2 || list[0].Alternatives[1] != "物流不动了" {
			t.Fatalf("stored: %+v", list)
		}
		var out bytes.Buffer
		if err := s.ExportFAQCSV(editor, &out); err != nil || !strings.Contains(out.String(), "快递到哪了 | 物流不动了") {
			t.Fatalf("export: %v\n%s", err, out.String())
		}
		if err := s.ExportFAQCSV(actor(kefu.PermConversationsReply), &out); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			t.Fatalf("an agent exports: %v", err)
		}
	})
}

func TestSearchFindsPublishedAnswers(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := &kb.Service{DB: db, Clock: &kefu.FixedClock{T: time.Now()}}
	editor := actor(kefu.PermKBManage)
	for _, f := range []kefu.FAQ{
		{Locale: "zh-CN", Question: "我的快递到哪了", Alternatives: []string{"物流不动了", "什么时候到货"}, Answer: "请在「我的订单」查看物流。"},
		{Locale: "zh-CN", Question: "怎么开发票", Alternatives: []string{"我要开增值税专票"}, Answer: "订单完成后申请发票。"},
		{Locale: "zh-CN", Question: "七天无理由退货怎么申请", Answer: "签收次日起 7 天内申请。", Status: "draft"},
		{Locale: "en", Question: "Where is my parcel?", Answer: "See My Orders."},
	} {
		if _, err := s.CreateFAQ(editor, f); err != nil {
			t.Fatal(err)
		}
	}
	hits, err := s.Search(context.Background(), "zh-CN", "物流一直不动", 3)
	if err != nil || len(hits) == 0 || hits[0].FAQ.Question != "我的快递到哪了" {
		t.Fatalf("search: %+v %v", hits, err)
	}
	if hits, _ := s.Search(context.Background(), "zh-CN", "退货", 3); len(hits) != 0 {
		t.Fatalf("a draft was found: %+v", hits)
	}
	// A new entry is found at once: changes drop the index.
	if _, err := s.CreateFAQ(editor, kefu.FAQ{Locale: "zh-CN", Question: "退货运费谁出", Answer: "无理由退货由买家承担。"}); err != nil {
		t.Fatal(err)
	}
	if hits, _ := s.Search(context.Background(), "zh-CN", "退货运费", 3); len(hits) == 0 || hits[0].FAQ.Question != "退货运费谁出" {
		t.Fatalf("after a change: %+v", hits)
	}
	if hits, _ := s.Search(context.Background(), "en", "where is my parcel", 3); len(hits) != 1 {
		t.Fatalf("english: %+v", hits)
	}
}
