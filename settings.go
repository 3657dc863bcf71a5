package kefu

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Settings are the workspace settings an admin changes in the console.
type Settings struct {
	AuditRetentionDays int    `json:"audit_retention_days"`  // at least 183 (网络安全法 Art. 21: six months)
	BackupEnabled      bool   `json:"backup_enabled"`        // kefu serve takes a daily SQLite backup
	BackupTime         string `json:"backup_time"`           // HH:MM, server local time
	BackupKeep         int    `json:"backup_keep"`           // how many daily backups to keep
	RevealLimitPerHour int    `json:"reveal_limit_per_hour"` // PII reveals per user per hour
	SessionHours       int    `json:"session_hours"`         // a console session's lifetime
	LoginMaxFailures   int    `json:"login_max_failures"`    // failed sign-ins before a lockout
	LockoutMinutes     int    `json:"lockout_minutes"`       // how long a lockout lasts

	// The shop, as answers in the knowledge base name it ({{shop.name}} …).
	ShopName                  string `json:"shop_name"`
	ShopHours                 string `json:"shop_hours"`
	ShopPhone                 string `json:"shop_phone"`
	ShopReturnAddress         string `json:"shop_return_address"`
	ShopFreeShippingThreshold string `json:"shop_free_shipping_threshold"`

	// ShopPaysReturnFreight: the shop pays return freight for no-reason
	// returns too (the law lets it charge the customer, 办法 Art. 18).
	ShopPaysReturnFreight bool `json:"shop_pays_return_freight"`

	// Logistics: a parcel with no tracking news for this many days is an
	// exception; with LogisticsNotifyCustomers kefu tells the customer about
	// delays before they ask.
	LogisticsStaleDays       int  `json:"logistics_stale_days"`
	LogisticsNotifyCustomers bool `json:"logistics_notify_customers"`

	// KPI targets the dashboards compare with; the defaults are the brief's.
	Targets KPITargets `json:"targets"`

	// TimeZone is the workspace's IANA time zone: reports count days in it.
	TimeZone string `json:"time_zone"`

	// Generative answers, off by default: an OpenAI-compatible endpoint
	// phrases the bot's answers from knowledge-base passages only.
	LLMEnabled bool   `json:"llm_enabled"`
	LLMBaseURL string `json:"llm_base_url"`
	LLMModel   string `json:"llm_model"`
	// LLMAPIKey is write-only: it is sealed by the vault and stored apart,
	// reads return "" and LLMAPIKeySet. An empty key in an update keeps the
	// stored one; LLMAPIKeyClear removes it.
	LLMAPIKey      string `json:"llm_api_key"`
	LLMAPIKeySet   bool   `json:"llm_api_key_set"`
	LLMAPIKeyClear bool   `json:"llm_api_key_clear,omitempty"`
}

// DefaultSettings are the settings of a new workspace.
func DefaultSettings() Settings {
	return Settings{
		AuditRetentionDays: 365,
		BackupEnabled:      true,
		BackupTime:         "03:00",
		BackupKeep:         7,
		RevealLimitPerHour: 30,
		SessionHours:       12,
		LoginMaxFailures:   5,
		LockoutMinutes:     15,

		ShopName:                  "优选生活馆",
		ShopHours:                 "每天 9:00–22:00",
		ShopPhone:                 "400-000-0000",
		ShopReturnAddress:         "请在订单的退货页面查看退货地址",
		ShopFreeShippingThreshold: "99 元",

		TimeZone: "Asia/Shanghai",

		LogisticsStaleDays: 3,
		Targets:            DefaultTargets(),
	}
}

// KPITargets are the goals the dashboards show each figure against.
type KPITargets struct {
	FRTMinutes     float64 `json:"frt_minutes"`     // median first response at most
	FCR            float64 `json:"fcr"`             // first contact resolution at least (0–1)
	RepeatRate     float64 `json:"repeat_rate"`     // repeat contacts at most
	EscalationRate float64 `json:"escalation_rate"` // escalations at most
	CSAT           float64 `json:"csat"`            // CSAT top-2 at least
	Coverage       float64 `json:"coverage"`        // 24-hour coverage within 3 minutes at least
	PeakQueue      int     `json:"peak_queue"`      // conversations waiting at most
}

// DefaultTargets are the brief's targets (电商客户服务管理方案): first response
// ≤ 8 min, FCR ≥ 80 %, repeat ≤ 20 %, escalation ≤ 3 %, CSAT ≥ 90 %, 24-hour
// coverage ≥ 90 %, peak queue ≤ 15.
func DefaultTargets() KPITargets {
	return KPITargets{FRTMinutes: 8, FCR: 0.8, RepeatRate: 0.2, EscalationRate: 0.03, CSAT: 0.9, Coverage: 0.9, PeakQueue: 15}
}

// ShopVariables fills {{shop.*}} in knowledge-base answers and articles.
func (s Settings) ShopVariables(text string) string {
	if !strings.Contains(text, "{{shop.") {
		return text
	}
	return strings.NewReplacer("{{shop.name}}", s.ShopName, "{{shop.hours}}", s.ShopHours, "{{shop.phone}}", s.ShopPhone,
		"{{shop.return_address}}", s.ShopReturnAddress, "{{shop.free_shipping_threshold}}", s.ShopFreeShippingThreshold).Replace(text)
}

var hhmm = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// Validate returns an EINVALID error naming the first bad field.
func (s Settings) Validate() error {
	switch {
	case s.AuditRetentionDays < 183:
		return Invalid("audit_retention_days", "Audit logs must be kept at least 183 days (six months, Cybersecurity Law Art. 21).")
	case !hhmm.MatchString(s.BackupTime):
		return Invalid("backup_time", "Use a 24-hour time such as 03:00.")
	case s.BackupKeep < 1 || s.BackupKeep > 365:
		return Invalid("backup_keep", "Keep between 1 and 365 backups.")
	case s.RevealLimitPerHour < 1 || s.RevealLimitPerHour > 10000:
		return Invalid("reveal_limit_per_hour", "Allow between 1 and 10000 reveals per hour.")
	case s.SessionHours < 1 || s.SessionHours > 24*30:
		return Invalid("session_hours", "A session lasts between 1 hour and 30 days.")
	case s.LoginMaxFailures < 3 || s.LoginMaxFailures > 100:
		return Invalid("login_max_failures", "Lock out after between 3 and 100 failures.")
	case s.LockoutMinutes < 1 || s.LockoutMinutes > 24*60:
		return Invalid("lockout_minutes", "A lockout lasts between 1 minute and 24 hours.")
	}
	if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "" {
		return Invalid("time_zone", "Use an IANA time zone such as Asia/Shanghai.")
	}
	t := s.Targets
	for _, share := range []struct {
		name string
		v    float64
	}{{"targets.fcr", t.FCR}, {"targets.repeat_rate", t.RepeatRate}, {"targets.escalation_rate", t.EscalationRate},
		{"targets.csat", t.CSAT}, {"targets.coverage", t.Coverage}} {
		if share.v < 0 || share.v > 1 {
			return Invalid(share.name, "Give a share between 0 and 1.")
		}
	}
	if t.FRTMinutes < 0 || t.FRTMinutes > 24*60 || t.PeakQueue < 0 {
		return Invalid("targets.frt_minutes", "Give minutes between 0 and 1440, and a queue of 0 or more.")
	}
	if s.LogisticsStaleDays < 1 || s.LogisticsStaleDays > 30 {
		return Invalid("logistics_stale_days", "A parcel is stale after between 1 and 30 days without news.")
	}
	if s.LLMEnabled || s.LLMBaseURL != "" {
		if u, err := url.Parse(s.LLMBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Invalid("llm_base_url", "Use the endpoint's base URL, such as https://api.example.com/v1.")
		}
	}
	if s.LLMEnabled && strings.TrimSpace(s.LLMModel) == "" {
		return Invalid("llm_model", "Name the model to use.")
	}
	if len(s.LLMAPIKey) > 1000 {
		return Invalid("llm_api_key", "An API key has at most 1000 characters.")
	}
	for _, f := range []struct{ name, v string }{{"shop_name", s.ShopName}, {"shop_hours", s.ShopHours}, {"shop_phone", s.ShopPhone},
		{"shop_return_address", s.ShopReturnAddress}, {"shop_free_shipping_threshold", s.ShopFreeShippingThreshold},
		{"llm_base_url", s.LLMBaseURL}, {"llm_model", s.LLMModel}} {
		if utf8.RuneCountInString(f.v) > 200 {
			return Invalid(f.name, "Use at most 200 characters.")
		}
	}
	return nil
}
