package train_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"kefu"
	"kefu/app"
	"kefu/app/apptest"
	"kefu/bot/shipped"
	"kefu/bot/train"
	"kefu/config"
	"kefu/inbox"
	"kefu/store"
	"kefu/store/storetest"
)

// The shop calls its same-day courier 闪电侠; the shipped examples have
// never seen the word. Agents label conversations about it as logistics,
// and retraining learns it.
var questions = []string{"闪电侠到哪了", "闪电侠怎么还没来", "闪电侠今天能送到吗", "我的闪电侠单子呢", "闪电侠师傅电话多少",
	"闪电侠送货慢死了", "闪电侠几点上门", "叫的闪电侠一直没动", "闪电侠显示已取件", "闪电侠可以改时间吗", "闪电侠能送到公司吗",
	"闪电侠还要多久"}

func TestRetrainLearnsTheShopsWords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := config.Default()
		cfg.DataDir = t.TempDir()
		a := apptest.Open(t, db, &kefu.FixedClock{T: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)})
		a.Inbox.OnCustomerMessage = nil
		sys := app.System(context.Background(), "test")
		ib, err := a.Webchat.CreateInbox(sys, kefu.Inbox{Name: "官网"})
		if err != nil {
			t.Fatal(err)
		}
		logistics := "logistics"
		for i, q := range questions {
			who, err := a.Contacts.Create(sys, kefu.Contact{Name: fmt.Sprintf("客户%d", i)})
			if err != nil {
				t.Fatal(err)
			}
			_, c, err := a.Inbox.Ingest(sys, inbox.IncomingMessage{InboxID: ib.ID, ContactID: who.ID, ClientID: "q", Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Inbox.Update(sys, c.ID, inbox.Patch{Intent: &logistics}); err != nil {
				t.Fatal(err)
			}
		}

		path := train.ModelPath(cfg.DataDir)
		last, _ := db.LastIntentCorrection(sys)
		if !train.Due(path, last, time.Date(2026, 11, 24, 3, 30, 0, 0, time.Local)) || train.Due(path, last, time.Date(2026, 11, 24, 2, 0, 0, 0, time.Local)) {
			t.Fatal("nightly retraining is due only after 03:00 when there is no model")
		}
		model, res, err := train.Intent(sys, db, path)
		if err != nil {
			t.Fatal(err)
		}
		if res.Corrections != len(questions) || res.Shipped == 0 || res.RetrainedAccuracy == nil || res.ShippedAccuracy == nil {
			t.Fatalf("result: %+v", res)
		}
		if *res.RetrainedAccuracy <= *res.ShippedAccuracy {
			t.Fatalf("retraining did not beat the shipped model on the shop's conversations: %.2f vs %.2f", *res.RetrainedAccuracy, *res.ShippedAccuracy)
		}
		const unseen = "闪电侠啥情况"
		shippedModel, _ := shipped.IntentModel()
		if got, _ := shippedModel.Predict(unseen); got == "logistics" {
			t.Fatalf("the shipped model already reads %q as logistics: pick a phrase it does not know", unseen)
		}
		if got, _ := model.Predict(unseen); got != "logistics" {
			t.Fatalf("retrained model: %q is %s", unseen, got)
		}
		// What was written is what kefu loads; the next night has nothing new to learn.
		loaded, ok, err := train.Load(path)
		if err != nil || !ok {
			t.Fatalf("load: %v %v", ok, err)
		}
		if got, _ := loaded.Predict(unseen); got != "logistics" {
			t.Fatalf("loaded model: %q is %s", unseen, got)
		}
		info, _ := os.Stat(path)
		if train.Due(path, last, info.ModTime().Add(24*time.Hour)) {
			t.Fatal("retraining is due with no new corrections")
		}
		if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".intent-*")); len(matches) != 0 {
			t.Fatalf("temporary files left: %v", matches)
		}
	})
}
