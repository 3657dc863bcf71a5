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
