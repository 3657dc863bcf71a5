package httpapi

import (
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"
)

//go:embed templates/diagnosis.html
var diagnosisHTML string

// diagnosisText is the report's words per language.
type diagnosisText struct {
	Title, Conversations, Findings, KPI, Value, Target, Status, Use, Met, Missed, NotMeasured, WorstHours, Hour, FRT,
	TopIntents, Intent, WorstFCR, Resolved, None, Footer string
	KPIs     map[string]string
	Features map[string]string
	Intents  map[string]string
}

var diagnosisTexts = map[string]diagnosisText{
	"zh-CN": {Title: "客服诊断报告", Conversations: "会话数", Findings: "指标与目标", KPI: "指标", Value: "现状", Target: "目标", Status: "结论", Use: "建议使用",
		Met: "达标", Missed: "未达标", NotMeasured: "无数据", WorstHours: "首次响应最慢的时段", Hour: "时段", FRT: "首响中位数",
		TopIntents: "咨询最多的问题", Intent: "问题类型", WorstFCR: "一次解决率最低的问题", Resolved: "已解决", None: "数据不足",
		Footer: "指标定义见 docs/kpi.md；目标来自系统设置，默认取自《电商客户服务管理方案》。",
		KPIs: map[string]string{"frt_median_minutes": "首次响应时长（中位数，分钟）", "fcr": "一次解决率", "repeat_rate": "7 天重复来访率",
			"escalation_rate": "升级率", "csat": "满意度（4–5 分占比）", "coverage_3m": "3 分钟回复覆盖率（含机器人）"},
		Features: map[string]string{"bot": "智能机器人", "routing": "智能分配", "sla": "SLA 计时与升级", "canned_replies": "话术库", "staffing": "大促排班测算",
			"knowledge_base": "知识库", "agent_assist": "回复推荐", "orders_panel": "订单侧栏", "tasks": "跨部门任务", "logistics_alerts": "物流异常预警",
			"returns": "售后工单", "surveys": "满意度回访", "rules": "自动化规则", "anger_detection": "情绪识别", "business_hours": "工作时间与留言"},
		Intents: map[string]string{"presale": "售前咨询", "order": "订单", "logistics": "物流", "return_refund": "售后退换", "quality": "质量问题",
			"repair_install": "维修安装", "payment": "支付", "invoice": "发票", "promotion": "优惠活动", "account": "账户", "complaint": "投诉", "other": "其他"}},
	"en": {Title: "Customer service diagnosis", Conversations: "conversations", Findings: "KPIs against targets", KPI: "KPI", Value: "Now", Target: "Target",
		Status: "Verdict", Use: "Use", Met: "met", Missed: "missed", NotMeasured: "no data", WorstHours: "Slowest hours for a first response", Hour: "Hour",
		FRT: "FRT median", TopIntents: "Most frequent requests", Intent: "Request", WorstFCR: "Requests least often solved first time", Resolved: "Resolved",
		None: "not enough data", Footer: "Definitions in docs/kpi.md; targets from the settings, by default the brief's.",
		KPIs: map[string]string{"frt_median_minutes": "First response (median, minutes)", "fcr": "First contact resolution", "repeat_rate": "Repeat contacts (7 days)",
			"escalation_rate": "Escalation rate", "csat": "CSAT (share of 4–5)", "coverage_3m": "Replied within 3 minutes (bot included)"},
		Features: map[string]string{"bot": "bot", "routing": "routing", "sla": "SLA timers", "canned_replies": "canned replies", "staffing": "staffing",
			"knowledge_base": "knowledge base", "agent_assist": "agent assist", "orders_panel": "orders panel", "tasks": "department tasks",
			"logistics_alerts": "logistics alerts", "returns": "returns", "surveys": "surveys", "rules": "rules", "anger_detection": "anger detection",
			"business_hours": "business hours"}},
}

// diagnosisRow is a finding as the report prints it.
type diagnosisRow struct {
	Name, Value, Target, Reference, Features string
	Met, Known                               bool
}

// diagnosis is the baseline report of a period: JSON, or with format=html a
// printable page (lang=zh-CN or en).
func (s *Server) diagnosis(w http.ResponseWriter, r *http.Request) error {
	f, err := s.kpiFilter(r)
	if err != nil {
		return err
	}
	cfg, loc, err := s.App.Settings.Workspace(r.Context())
	if err != nil {
		return err
	}
	d, err := s.App.Reports.Diagnose(r.Context(), f, cfg.Targets, loc)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") != "html" {
		return ok(w, http.StatusOK, d, nil)
	}
	lang := r.URL.Query().Get("lang")
	if lang != "en" {
		lang = "zh-CN"
	}
	t := diagnosisTexts[lang]
	pct := func(x float64) string { return fmt.Sprintf("%.1f%%", x*100) }
	var rows []diagnosisRow
	for _, fd := range d.Findings {
		row := diagnosisRow{Name: t.KPIs[fd.KPI], Reference: fd.Reference, Met: fd.Met, Known: fd.Known, Value: pct(fd.Value), Target: pct(fd.Target)}
		if fd.KPI == "frt_median_minutes" {
			row.Value, row.Target = fmt.Sprintf("%.1f", fd.Value), fmt.Sprintf("≤ %.0f", fd.Target)
		}
		if !fd.Known {
			row.Value = "—"
		}
		var names []string
		for _, ft := range fd.Features {
			names = append(names, t.Features[ft])
		}
		row.Features = strings.Join(names, "、")
		rows = append(rows, row)
	}
	page := template.Must(template.New("diagnosis").Funcs(template.FuncMap{
		"pct": pct,
		"dur": func(d time.Duration) string { return d.Round(time.Second).String() },
		"intent": func(k string) string {
			if n, ok := t.Intents[k]; ok {
				return n
			}
			return k
		},
	}).Parse(diagnosisHTML))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return page.Execute(w, map[string]any{"Lang": lang, "T": t, "D": d, "Rows": rows,
		"Period": f.From.In(loc).Format(time.DateOnly) + " – " + f.To.In(loc).Add(-time.Second).Format(time.DateOnly)})
}
