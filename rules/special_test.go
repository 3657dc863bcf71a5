package rules_test

import (
	"slices"
	"testing"

	"kefu/rules"
)

func TestSpecialFlowsLabel(t *testing.T) {
	set, err := rules.Compile(rules.SpecialFlows())
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{"我们公司要批量采购500个": "大客户", "不给钱就差评": "疑似恶意差评",
		"你们重复扣款了": "异常订单", "这款有货吗": ""} {
		out := rules.Merge(set.Evaluate(rules.Facts{Event: rules.EventMessageReceived, Text: text}))
		if (want == "") != (len(out.Labels) == 0) || (want != "" && !slices.Contains(out.Labels, want)) {
			t.Errorf("%q: labels %v, want %q", text, out.Labels, want)
		}
	}
}

func TestNeedsSaysWhatRulesRead(t *testing.T) {
	set, err := rules.Compile(rules.Defaults("complaints", "vip"))
	if err != nil {
		t.Fatal(err)
	}
	// The complaints rule reads text and intent only; the VIP rule the contact, and not on every message.
	if n := set.Needs(rules.EventMessageReceived); !n.Rules || n.Contact || n.Sentiment || n.OrderValue || n.BusinessHours {
		t.Fatalf("message_received: %+v", n)
	}
	if n := set.Needs(rules.EventConversationCreated); !n.Rules || !n.Contact {
		t.Fatalf("conversation_created: %+v", n)
	}
	empty, _ := rules.Compile(nil)
	if empty.Needs(rules.EventHandoff).Rules {
		t.Fatal("no rules need nothing")
	}
}
