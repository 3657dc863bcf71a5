package httpapi_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/inbox"
	"kefu/store"
	"kefu/store/storetest"
)

func TestSurveyOnResolveAndLowScoreFollowUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sys := e.system()
		ib, err := e.app.Webchat.CreateInbox(sys, kefu.Inbox{Name: "官网", Survey: "both", SurveyExpiryHours: 24})
		if err != nil {
			t.Fatal(err)
		}
		supEmail, _ := e.user(kefu.RoleSupervisor)
		sup, _ := db.UserByEmail(sys, supEmail)
		survey := func(text string) (kefu.Conversation, string) {
			t.Helper()
			who, _ := e.app.Contacts.Create(sys, kefu.Contact{Name: "客户"})
			_, c, err := e.app.Inbox.Ingest(sys, inbox.IncomingMessage{InboxID: ib.ID, ContactID: who.ID, ClientID: "1", Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.app.Inbox.SetStatus(sys, c.ID, kefu.StatusResolved, nil); err != nil {
				t.Fatal(err)
			}
			msgs, _ := db.Messages(sys, c.ID, 0, 20, false)
			m := regexp.MustCompile(`/survey/([A-Za-z0-9_-]+)`).FindStringSubmatch(msgs[len(msgs)-1].Text)
			if m == nil {
				t.Fatalf("no survey link: %+v", msgs[len(msgs)-1])
			}
			return c, m[1]
		}
		c, token := survey("谢谢")
		// Resolving again does not ask twice.
		e.app.Inbox.SetStatus(sys, c.ID, kefu.StatusOpen, nil)
		e.app.Inbox.SetStatus(sys, c.ID, kefu.StatusResolved, nil)
		if msgs, _ := db.Messages(sys, c.ID, 0, 20, false); strings.Count(msgs[len(msgs)-1].Text+msgs[len(msgs)-2].Text, "/survey/") > 1 {
			t.Fatal("asked twice")
		}

		w := e.client("")
		if r := w.do("POST", "/widget/v1/survey", map[string]any{"token": token, "csat": 5}); r.status != 400 || r.errorField() != "nps" {
			t.Fatalf("both asked, only csat given: %d %s", r.status, r.raw)
		}
		if r := w.do("POST", "/widget/v1/survey", map[string]any{"token": token, "csat": 5, "nps": 9, "comment": "很专业"}); r.status != 200 {
			t.Fatalf("answer: %d %s", r.status, r.raw)
		}
		if r := w.do("POST", "/widget/v1/survey", map[string]any{"token": token, "csat": 1, "nps": 0}); r.status != 409 {
			t.Fatalf("second answer: %d %s", r.status, r.raw)
		}
		if tasks, _ := db.Tasks(sys, c.ID, ""); len(tasks) != 0 {
			t.Fatalf("a good score made a task: %+v", tasks)
		}

		// The link page, answered by form: a low score becomes the supervisor's task, due in 48 hours.
		c2, token2 := survey("还是没解决")
		resp, err := http.Get(e.srv.URL + "/survey/" + token2)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(page), "您对本次服务满意吗") || !strings.Contains(string(page), `name="nps"`) {
			t.Fatalf("survey page: %s", page)
		}
		resp, err = http.PostForm(e.srv.URL+"/survey/"+token2, url.Values{"csat": {"2"}, "nps": {"3"}, "comment": {"等太久了"}})
		if err != nil {
			t.Fatal(err)
		}
		page, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(page), "感谢您的评价") {
			t.Fatalf("after the form: %s", page)
		}
		tasks, _ := db.Tasks(sys, c2.ID, "")
		if len(tasks) != 1 || tasks[0].OwnerID != sup.ID || tasks[0].Department != "service" || tasks[0].DueAt == nil ||
			!tasks[0].DueAt.Equal(e.clock.Now().Add(48*time.Hour).Truncate(time.Millisecond)) || tasks[0].Note != "等太久了" {
			t.Fatalf("follow-up: %+v", tasks)
		}
		v, _ := db.SurveyOf(sys, c2.ID)
		if v.FollowUpTaskID != tasks[0].ID || *v.CSAT != 2 || *v.NPS != 3 {
			t.Fatalf("survey: %+v", v)
		}

		// A link past its expiry is refused.
		_, token3 := survey("好的")
		e.clock.Advance(25 * time.Hour)
		if r := w.do("POST", "/widget/v1/survey", map[string]any{"token": token3, "csat": 4, "nps": 8}); r.status != 409 || !strings.Contains(string(r.raw), "expired") {
			t.Fatalf("expired: %d %s", r.status, r.raw)
		}
	})
}
