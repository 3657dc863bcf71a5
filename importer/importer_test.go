package importer_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/importer"
	"kefu/store"
	"kefu/store/storetest"
)

func open(t *testing.T, db *store.DB) *app.App {
	a := apptest.Open(t, db, &kefu.FixedClock{T: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)})
	return a
}

const jddc = "s1\tUSERID_1\t0\t0\t0\tnan\t人工客服 你好\n" +
	"s1\tUSERID_1\t1\t0\t0\tnan\t有什么问题我可以帮您处理或解决呢?\n" +
	"s1\tUSERID_1\t0\t0\t0\tnan\t地址可以帮我修改下吗\n" +
	"s2\tUSERID_2\t0\t0\t0\tnan\t发票怎么开\n" +
	"s2\tUSERID_2\t1\t0\t0\tnan\t您好，订单完成后可以申请\n"

func TestImportJDDCOnceAndKefuFormat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := open(t, db)
		sys := app.System(context.Background(), "test")
		res, err := importer.Import(sys, a, "jddc", strings.NewReader(jddc), "历史导入", nil)
		if err != nil || res.Imported != 2 || res.Messages != 5 {
			t.Fatalf("import: %+v %v", res, err)
		}
		// Importing again adds nothing.
		res, err = importer.Import(sys, a, "jddc", strings.NewReader(jddc), "历史导入", nil)
		if err != nil || res.Imported != 0 || res.Skipped["imported already"] != 2 {
			t.Fatalf("again: %+v %v", res, err)
		}
		page, err := a.Inbox.List(sys, kefu.ConversationFilter{View: "all", Status: kefu.StatusResolved, Limit: 10})
		if err != nil || len(page.Items) != 2 {
			t.Fatalf("imported conversations: %+v %v", page.Items, err)
		}
		c := page.Items[0]
		if !c.CreatedAt.Equal(importer.JDDCStart) {
			c = page.Items[1]
		}
		if c.Status != kefu.StatusResolved || c.FirstReplyAt == nil || !c.CreatedAt.Equal(importer.JDDCStart) {
			t.Fatalf("first session: %+v", c)
		}

		kefuFile := `{"id":"z-1","channel":"webchat","contact":{"external_id":"c9","name":"老客户"},"created_at":"2026-10-01T02:00:00Z",` +
			`"resolved_at":"2026-10-01T02:30:00Z","intent":"invoice","messages":[{"at":"2026-10-01T02:00:00Z","from":"customer","text":"要开发票"},` +
			`{"at":"2026-10-01T02:04:00Z","from":"agent","name":"小王","text":"好的"}]}` + "\n" +
			`{"id":"z-2","contact":{"external_id":"c9"},"messages":[]}` + "\n"
		res, err = importer.Import(sys, a, "kefu", strings.NewReader(kefuFile), "历史导入", nil)
		if err != nil || res.Imported != 1 || res.Skipped["no messages"] != 1 {
			t.Fatalf("kefu format: %+v %v", res, err)
		}
		if _, err := importer.Import(sys, a, "kefu", strings.NewReader("{not json\n"), "历史导入", nil); kefu.ErrorField(err) != "file" {
			t.Fatalf("bad file: %v", err)
		}
		if _, err := importer.Import(sys, a, "zendesk2", strings.NewReader(""), "x", nil); kefu.ErrorField(err) != "format" {
			t.Fatalf("bad format: %v", err)
		}
	})
}

// The real JDDC dev sessions, when the shared data is there.
func TestImportJDDCDevFile(t *testing.T) {
	f, err := os.Open("../../shared/data/jddc/chat_dev.tsv")
	if err != nil {
		t.Skip("no shared data: ", err)
	}
	defer f.Close()
	a := open(t, storetest.Open(t, store.SQLite))
	res, err := importer.Import(app.System(context.Background(), "test"), a, "jddc", f, "JDDC", nil)
	if err != nil || res.Imported != 628 || res.Messages != 7664 {
		t.Fatalf("JDDC dev: %+v %v", res, err)
	}
}
