package intent_test

import (
	"bytes"
	"testing"

	"kefu/bot/intent"
	"kefu/bot/shipped"
)

func TestClean(t *testing.T) {
	got := intent.Clean("你好 [订单编号:[订单x]，订单金额:[金额x]，下单时间:[日期x] [时间x]] 我要开发票 我要转人工")
	if got != "我要开发票" {
		t.Errorf("Clean = %q", got)
	}
}

func TestObviousCases(t *testing.T) {
	m, err := shipped.IntentModel()
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{
		"我的快递到哪了，三天了还没到":       intent.Logistics,
		"帮我开一张增值税专用发票":         intent.Invoice,
		"买了两天就降价了，能申请价保吗":      intent.Promotion,
		"空调到了，什么时候上门安装":        intent.RepairInstall,
		"收到的杯子是碎的":             intent.Quality,
		"登录密码忘了怎么找回":           intent.Account,
		"我要退货，尺码不合适":           intent.ReturnRefund,
		"Where is my package?": intent.Logistics,
		"你好":                   intent.Other,
		"":                     intent.Other,
	} {
		if got, p := m.Predict(text); got != want {
			t.Errorf("Predict(%q) = %s (%.2f), want %s", text, got, p, want)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	m, err := shipped.IntentModel()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := intent.Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"发票抬头写错了", "订单能取消吗", "东西坏了怎么办"} {
		l1, p1 := m.Predict(text)
		l2, p2 := m2.Predict(text)
		if l1 != l2 || p1 != p2 {
			t.Errorf("%q: saved %s %.4f, loaded %s %.4f", text, l1, p1, l2, p2)
		}
	}
}

func TestTrainSmall(t *testing.T) {
	m := intent.Train([]intent.Example{
		{Text: "发票怎么开", Intent: intent.Invoice},
		{Text: "开专票", Intent: intent.Invoice},
		{Text: "快递到哪了", Intent: intent.Logistics},
		{Text: "物流不动了", Intent: intent.Logistics},
	}, intent.DefaultOptions())
	if got, _ := m.Predict("我要开发票"); got != intent.Invoice {
		t.Errorf("got %s", got)
	}
	probs := m.Probabilities("快递")
	if probs[intent.Logistics] <= probs[intent.Invoice] {
		t.Errorf("probabilities %v", probs)
	}
}
