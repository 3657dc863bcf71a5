package rules

// SpecialFlows are the shipped rules that mark the special cases of seed
// 002 with labels — bulk and B2B purchases, suspected malicious reviews,
// abnormal orders — so that they stand out in the inbox and a workspace can
// add its own rule sending a label to a dedicated team. Enabled, after the
// team rules (positions 100+).
func SpecialFlows() []Rule {
	label := func(id, name string, position int, keywords []string, priority string, labels ...string) Rule {
		r := Rule{ID: id, Name: name, Enabled: true, Events: []string{EventConversationCreated, EventMessageReceived},
			Match:      MatchAll,
			Conditions: []Condition{{Field: FieldText, Op: OpContainsAny, Value: keywords}},
			Actions:    []Action{{Type: ActionAddLabels, Values: labels}}, Position: position}
		if priority != "" {
			r.Actions = append(r.Actions, Action{Type: ActionSetPriority, Value: priority})
		}
		return r
	}
	return []Rule{
		label("default-b2b", "批量/企业采购 Bulk and B2B", 100, []string{"批量", "大批量", "企业采购", "团购", "采购单", "对公", "增值税专用发票", "bulk order", "wholesale"}, "", "大客户"),
		// A bad review offered against money is how malicious reviewers
		// extort shops; the label lets a supervisor handle it.
		label("default-malicious-review", "疑似恶意差评 Suspected malicious review", 110, []string{"不给钱就差评", "给差评", "刷差评", "差评威胁", "不赔钱就差评", "全部差评"}, "high", "疑似恶意差评"),
		label("default-abnormal-order", "异常订单 Abnormal order", 120, []string{"丢件", "丢失", "重复下单", "重复扣款", "扣了两次", "没收到货却显示签收", "显示签收但没收到", "lost parcel", "charged twice"}, "high", "异常订单"),
	}
}
