package tasks_test

import (
	"context"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/auth"
	"kefu/inbox"
	"kefu/store"
	"kefu/store/storetest"
	"kefu/tasks"
)

func ptr[T any](v T) *T { return &v }

func TestTasksForOtherDepartmentsAndComplaints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := apptest.Open(t, db, &kefu.FixedClock{T: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)})
		a.Inbox.OnCustomerMessage = nil
		sys := app.System(context.Background(), "test")
		ib, _ := a.Webchat.CreateInbox(sys, kefu.Inbox{Name: "官网"})
		who, _ := a.Contacts.Create(sys, kefu.Contact{Name: "赵磊"})
		_, c, err := a.Inbox.Ingest(sys, inbox.IncomingMessage{InboxID: ib.ID, ContactID: who.ID, ClientID: "1", Text: "收到的杯子是碎的，我要投诉"})
		if err != nil {
			t.Fatal(err)
		}
		warehouse, err := a.Auth.CreateUser(sys, auth.NewUser{Email: "wh@example.com", Name: "仓库小刘", Role: kefu.RoleAuditor, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		agent := kefu.NewContext(sys, &kefu.Actor{UserID: "agent", Name: "小王", Permissions: []kefu.Permission{kefu.PermConversationsViewAll, kefu.PermConversationsReply}})

		// The agent classifies the complaint.
		if _, err := a.Inbox.Update(agent, c.ID, inbox.Patch{ComplaintCategory: ptr("shipping")}); kefu.ErrorField(err) != "complaint_category" {
			t.Fatalf("bad category: %v", err)
		}
		c, err = a.Inbox.Update(agent, c.ID, inbox.Patch{ComplaintCategory: ptr("logistics"), ComplaintSeverity: ptr("high")})
		if err != nil || c.ComplaintCategory != "logistics" || c.ComplaintSeverity != "high" {
			t.Fatalf("classify: %+v %v", c, err)
		}

		// ...and asks the warehouse to check the packing, due tomorrow.
		if _, err := a.Tasks.Create(agent, c.ID, tasks.Input{Department: ptr("kitchen"), Title: ptr("核实包装")}); kefu.ErrorField(err) != "department" {
			t.Fatalf("bad department: %v", err)
		}
		due := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		task, err := a.Tasks.Create(agent, c.ID, tasks.Input{Department: ptr("warehouse"), Title: ptr("核实包装并补发"), OwnerID: &warehouse.ID, DueAt: &due})
		if err != nil || task.Status != "open" || task.OwnerName != "仓库小刘" {
			t.Fatalf("create: %+v %v", task, err)
		}
		notices, _ := db.UserNotices(sys, warehouse.ID, 10)
		if len(notices) != 1 || notices[0].Kind != "task" {
			t.Fatalf("owner's notices: %+v", notices)
		}
		// The owner closes it without any conversation permission; a stranger cannot.
		owner := kefu.NewContext(sys, &kefu.Actor{UserID: warehouse.ID, Name: "仓库小刘"})
		stranger := kefu.NewContext(sys, &kefu.Actor{UserID: "someone", Name: "路人"})
		if _, err := a.Tasks.Update(stranger, task.ID, tasks.Input{Status: ptr("done")}); kefu.ErrorCode(err) != kefu.EFORBIDDEN {
			t.Fatalf("a stranger closed the task: %v", err)
		}
		if mine, _ := a.Tasks.Mine(owner); len(mine) != 1 {
			t.Fatalf("owner's open tasks: %+v", mine)
		}
		task, err = a.Tasks.Update(owner, task.ID, tasks.Input{Status: ptr("done"), Note: ptr("已补发 SF998")})
		if err != nil || task.Status != "done" || task.DoneAt == nil {
			t.Fatalf("done: %+v %v", task, err)
		}
		events, _ := db.Events(sys, c.ID)
		var types []string
		for _, e := range events {
			types = append(types, e.Type)
		}
		for _, want := range []string{kefu.EventComplaint, kefu.EventTaskCreated, kefu.EventTaskUpdated} {
			found := false
			for _, got := range types {
				found = found || got == want
			}
			if !found {
				t.Fatalf("timeline %v lacks %s", types, want)
			}
		}
	})
}
