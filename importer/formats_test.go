package importer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/importer"
	"kefu/store"
	"kefu/store/storetest"
)

// imported returns the conversations imported from a source, by their
// contact's shop user id, with their messages.
func imported(t *testing.T, a *app.App, source string) (map[string]kefu.Conversation, map[string][]kefu.Message) {
	t.Helper()
	sys := app.System(context.Background(), "test")
	page, err := a.Inbox.List(sys, kefu.ConversationFilter{View: "all", Label: "导入:" + source, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	convs, msgs := map[string]kefu.Conversation{}, map[string][]kefu.Message{}
	for _, c := range page.Items {
		if c.Contact == nil {
			t.Fatalf("conversation without its contact: %+v", c)
		}
		key := c.Contact.ShopUserID
		convs[key] = c
		if msgs[key], err = a.Inbox.Messages(sys, c.ID, 0, 100); err != nil {
			t.Fatal(err)
		}
	}
	return convs, msgs
}

// senders writes a conversation's messages as sender[/private]:name:text.
func senders(msgs []kefu.Message) string {
	var parts []string
	for _, m := range msgs {
		s := m.SenderType
		if m.Private {
			s += "/private"
		}
		parts = append(parts, s+":"+m.SenderName+":"+m.Text)
	}
	return strings.Join(parts, " | ")
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Four tickets: solved with a requester, open with an attachment, closed
// without comments, and the two API responses merged on one line.
const zendeskFile = `{"id": 101, "created_at": "2026-10-01T02:00:00Z", "updated_at": "2026-10-01T03:00:00Z", "status": "solved",` +
	` "requester_id": 501, "via": {"channel": "web"}, "tags": ["invoice"],` +
	` "requester": {"id": 501, "name": "王芳", "email": "wf@example.com", "phone": "+8613800000000"},` +
	` "comments": [` +
	`{"id": 1, "author_id": 501, "body": "<p>发票</p>", "plain_body": "要开发票", "public": true, "created_at": "2026-10-01T02:00:00Z"},` +
	`{"id": 3, "author_id": 900, "body": "客户是老客户", "public": false, "created_at": "2026-10-01T02:06:00Z"},` +
	`{"id": 2, "author_id": 900, "body": "好的，马上开", "public": true, "created_at": "2026-10-01T02:05:00Z"},` +
	`{"id": 4, "author_id": 501, "body": "谢谢", "created_at": "2026-10-01T02:10:00Z"}]}` + "\n" +
	"\n" +
	`{"id": "102", "created_at": "2026-10-02T02:00:00Z", "updated_at": "2026-10-02T02:30:00Z", "status": "open",` +
	` "requester_id": 502, "via": {"channel": "email"}, "comments": [` +
	`{"id": 5, "author_id": 502, "body": "Where is my parcel?", "public": true, "created_at": "2026-10-02T02:00:00Z"},` +
	`{"id": 6, "author_id": 901, "body": "", "public": true, "created_at": "2026-10-02T02:20:00Z", "attachments": [{"file_name": "waybill.png"}]}]}` + "\n" +
	`{"id": 103, "created_at": "2026-10-03T02:00:00Z", "updated_at": "2026-10-03T02:30:00Z", "status": "closed", "requester_id": 503}` + "\n" +
	`{"ticket": {"id": 104, "created_at": "2026-10-04T02:00:00Z", "status": "pending", "requester_id": 504},` +
	` "comments": [{"id": 7, "author_id": 504, "plain_body": "还没到", "public": true, "created_at": "2026-10-04T02:00:00Z"}]}` + "\n"

func TestImportZendesk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := open(t, db)
		sys := app.System(context.Background(), "test")
		res, err := importer.Import(sys, a, "zendesk", strings.NewReader(zendeskFile), "Zendesk", nil)
		if err != nil || res.Imported != 3 || res.Messages != 7 || res.Skipped["no messages"] != 1 || len(res.Skipped) != 1 {
			t.Fatalf("import: %+v %v", res, err)
		}
		convs, msgs := imported(t, a, "zendesk")
		if len(convs) != 3 {
			t.Fatalf("conversations: %+v", convs)
		}

		c := convs["zendesk:501"]
		if c.Status != kefu.StatusResolved || c.ResolvedAt == nil || !c.ResolvedAt.Equal(at("2026-10-01T03:00:00Z")) ||
			!c.CreatedAt.Equal(at("2026-10-01T02:00:00Z")) || c.FirstReplyAt == nil || !c.FirstReplyAt.Equal(at("2026-10-01T02:05:00Z")) {
			t.Fatalf("solved ticket: %+v", c)
		}
		want := "customer:王芳:要开发票 | agent::好的，马上开 | agent/private::客户是老客户 | customer:王芳:谢谢"
		if got := senders(msgs["zendesk:501"]); got != want {
			t.Fatalf("solved ticket's messages:\n got %s\nwant %s", got, want)
		}
		if c.Contact.Name == "" || c.Contact.Email == "" || c.Contact.Phone == "" {
			t.Fatalf("requester not kept: %+v", c.Contact)
		}

		c = convs["zendesk:502"]
		if c.Status != kefu.StatusOpen || c.ResolvedAt != nil {
			t.Fatalf("open ticket: %+v", c)
		}
		if got, want := senders(msgs["zendesk:502"]), "customer::Where is my parcel? | agent::[附件] waybill.png"; got != want {
			t.Fatalf("open ticket's messages:\n got %s\nwant %s", got, want)
		}
		if got := senders(msgs["zendesk:504"]); got != "customer::还没到" || convs["zendesk:504"].Status != kefu.StatusOpen {
			t.Fatalf("merged responses: %s %+v", got, convs["zendesk:504"])
		}

		// Importing again adds nothing.
		res, err = importer.Import(sys, a, "zendesk", strings.NewReader(zendeskFile), "Zendesk", nil)
		if err != nil || res.Imported != 0 || res.Skipped["imported already"] != 3 || res.Skipped["no messages"] != 1 {
			t.Fatalf("again: %+v %v", res, err)
		}
		if convs, _ := imported(t, a, "zendesk"); len(convs) != 3 {
			t.Fatalf("again: %d conversations", len(convs))
		}
	})
}

func TestZendeskBadLines(t *testing.T) {
	a := open(t, storetest.Open(t, store.SQLite))
	sys := app.System(context.Background(), "test")
	good := `{"id": 1, "requester_id": 5, "comments": [{"author_id": 5, "body": "hi", "created_at": "2026-10-01T02:00:00Z"}]}` + "\n"
	for name, tc := range map[string]struct{ file, line string }{
		"not json":       {good + "\n" + `{"id": 2, "comments": [` + "\n", "Line 3:"},
		"no time":        {good + good + `{"id": 3, "comments": [{"author_id": 5, "body": "x"}]}` + "\n", "Line 3: ticket 3: comment #1 has no created_at"},
		"bad time":       {good + `{"id": 4, "created_at": "yesterday"}`, "Line 2:"},
		"not an object":  {good + `[1, 2]`, "Line 2:"},
		"array":          {"[\n" + strings.TrimSpace(good) + ",\n\n  {\"id\": 5, \"comments\": 7}\n]\n", "Line 4:"},
		"open array":     {"[\n" + strings.TrimSpace(good) + ",\n", "Line 3:"},
		"broken element": {"[\n" + strings.TrimSpace(good) + ",\n{\"id\": 2,\n\"status\": }]", "Line 4:"},
		"api page":       {`{"tickets": [], "end_of_stream": true}`, "Line 1: an API page"},
	} {
		_, err := importer.Import(sys, a, "zendesk", strings.NewReader(tc.file), "Zendesk", nil)
		if kefu.ErrorField(err) != "file" || !strings.HasPrefix(kefu.ErrorMessage(err), tc.line) {
			t.Errorf("%s: %v, want a message starting %q", name, err, tc.line)
		}
	}
	// A pretty-printed JSON array reads as well as JSON lines; nothing of
	// the bad files above was stored.
	file := "\ufeff[\n  " + strings.TrimSpace(good) + ",\n  " + strings.ReplaceAll(strings.TrimSpace(good), `"id": 1`, `"id": 2`) + "\n]\n"
	res, err := importer.Import(sys, a, "zendesk", strings.NewReader(file), "Zendesk", nil)
	if err != nil || res.Imported != 2 || res.Messages != 2 {
		t.Fatalf("array: %+v %v", res, err)
	}
}

// Three conversations: resolved with every message type, open with the
// messages endpoint's response as it comes and no meta, and one without
// messages.
const chatwootFile = `{"id": 42, "status": "resolved", "created_at": 1790820000, "labels": ["invoice"],` +
	` "meta": {"sender": {"id": 7, "name": "李雷", "email": "ll@example.com", "phone_number": "+8613900000000"}, "channel": "Channel::WebWidget"},` +
	` "messages": [` +
	`{"id": 901, "content": "发票怎么开", "message_type": 0, "private": false, "created_at": 1790820000, "sender": {"id": 7, "type": "contact", "name": "李雷"}},` +
	`{"id": 902, "content": "您好，我是智能助手", "message_type": 1, "created_at": 1790820010, "sender": {"id": 1, "type": "agent_bot", "name": "小助手"}},` +
	`{"id": 903, "content": "Assigned to 小王 by 系统", "message_type": 2, "created_at": 1790820060},` +
	`{"id": 904, "content": "订单完成后可以申请", "message_type": 1, "created_at": 1790820120, "sender": {"id": 3, "type": "user", "name": "Wang Xiao", "available_name": "小王"}},` +
	`{"id": 905, "content": "已开票", "message_type": 1, "private": true, "created_at": 1790820180, "sender": {"id": 3, "type": "user", "name": "小王"}},` +
	`{"id": 906, "content": "请为本次服务评分", "message_type": 3, "created_at": 1790820240},` +
	`{"id": 907, "content": "Conversation was marked resolved by 小王", "message_type": 2, "created_at": 1790820300}]}` + "\n" +
	`{"id": 43, "status": "snoozed", "created_at": "2026-10-02T02:00:00Z", "messages": {"meta": {}, "payload": [` +
	`{"id": 911, "content": "在吗", "message_type": "incoming", "created_at": 1790906400, "sender": {"id": 8, "type": "contact", "name": "韩梅梅"}},` +
	`{"id": 912, "content": "", "message_type": "outgoing", "created_at": 1790906460, "sender_type": "User", "sender": {"id": 3, "name": "小王"}, "attachments": [{"file_type": "image"}]}]}}` + "\n" +
	`{"id": 44, "status": "open", "created_at": 1790992800, "meta": {"sender": {"id": 9}}, "messages": []}` + "\n"

func TestImportChatwoot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := open(t, db)
		sys := app.System(context.Background(), "test")
		res, err := importer.Import(sys, a, "chatwoot", strings.NewReader(chatwootFile), "Chatwoot", nil)
		if err != nil || res.Imported != 2 || res.Messages != 7 || res.Skipped["no messages"] != 1 || len(res.Skipped) != 1 {
			t.Fatalf("import: %+v %v", res, err)
		}
		convs, msgs := imported(t, a, "chatwoot")
		if len(convs) != 2 {
			t.Fatalf("conversations: %+v", convs)
		}

		c := convs["chatwoot:7"]
		start := time.Unix(1790820000, 0)
		if c.Status != kefu.StatusResolved || c.ResolvedAt == nil || !c.ResolvedAt.Equal(start.Add(5*time.Minute)) ||
			!c.CreatedAt.Equal(start) || c.FirstReplyAt == nil || !c.FirstReplyAt.Equal(start.Add(2*time.Minute)) {
			t.Fatalf("resolved conversation: %+v", c)
		}
		want := "customer:李雷:发票怎么开 | bot:小助手:您好，我是智能助手 | agent:小王:订单完成后可以申请 | agent/private:小王:已开票 | bot::请为本次服务评分"
		if got := senders(msgs["chatwoot:7"]); got != want {
			t.Fatalf("resolved conversation's messages:\n got %s\nwant %s", got, want)
		}
		if c.Contact.Name == "" || c.Contact.Email == "" || c.Contact.Phone == "" {
			t.Fatalf("contact not kept: %+v", c.Contact)
		}

		c = convs["chatwoot:8"]
		if c.Status != kefu.StatusOpen || c.ResolvedAt != nil || !c.CreatedAt.Equal(at("2026-10-02T02:00:00Z")) {
			t.Fatalf("snoozed conversation: %+v", c)
		}
		if got, want := senders(msgs["chatwoot:8"]), "customer:韩梅梅:在吗 | agent:小王:[附件]"; got != want {
			t.Fatalf("snoozed conversation's messages:\n got %s\nwant %s", got, want)
		}

		// Importing again adds nothing.
		res, err = importer.Import(sys, a, "chatwoot", strings.NewReader(chatwootFile), "Chatwoot", nil)
		if err != nil || res.Imported != 0 || res.Skipped["imported already"] != 2 || res.Skipped["no messages"] != 1 {
			t.Fatalf("again: %+v %v", res, err)
		}
		if convs, _ := imported(t, a, "chatwoot"); len(convs) != 2 {
			t.Fatalf("again: %d conversations", len(convs))
		}
	})
}

func TestChatwootBadLines(t *testing.T) {
	a := open(t, storetest.Open(t, store.SQLite))
	sys := app.System(context.Background(), "test")
	good := `{"id": 1, "meta": {"sender": {"id": 5}}, "messages": [{"content": "hi", "message_type": 0, "created_at": 1790820000}]}` + "\n"
	for name, tc := range map[string]struct{ file, line string }{
		"not json":     {good + good + "{\"id\": 2,\n", "Line 3:"},
		"bad type":     {good + `{"id": 2, "messages": [{"id": 7, "content": "x", "message_type": 9, "created_at": 1}]}`, "Line 2:"},
		"no type":      {good + `{"id": 3, "messages": [{"id": 8, "content": "x", "created_at": 1}]}`, "Line 2: conversation 3: message 8 has no message_type"},
		"no time":      {good + "\n\n" + `{"id": 4, "messages": [{"content": "x", "message_type": "outgoing"}]}`, "Line 4: conversation 4: message #1 has no created_at"},
		"bad messages": {good + `{"id": 5, "messages": "none"}`, "Line 2:"},
		"api response": {good + `{"meta": {}, "payload": []}`, "Line 2: an API response"},
	} {
		_, err := importer.Import(sys, a, "chatwoot", strings.NewReader(tc.file), "Chatwoot", nil)
		if kefu.ErrorField(err) != "file" || !strings.HasPrefix(kefu.ErrorMessage(err), tc.line) {
			t.Errorf("%s: %v, want a message starting %q", name, err, tc.line)
		}
	}
	// A conversation that comes again replaces its earlier line.
	again := strings.Replace(good, `"hi"`, `"hello"`, 1)
	res, err := importer.Import(sys, a, "chatwoot", strings.NewReader(good+again), "Chatwoot", nil)
	if err != nil || res.Imported != 1 || res.Messages != 1 {
		t.Fatalf("repeated conversation: %+v %v", res, err)
	}
	if _, msgs := imported(t, a, "chatwoot"); senders(msgs["chatwoot:5"]) != "customer::hello" {
		t.Fatalf("repeated conversation kept %s", senders(msgs["chatwoot:5"]))
	}
}
