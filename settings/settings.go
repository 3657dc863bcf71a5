// Package settings reads and changes the workspace settings.
package settings

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"time"

	"kefu"
	"kefu/audit"
	"kefu/store"
	"kefu/vault"
)

const (
	key       = "workspace"
	llmKeyKey = "llm_api_key" // the sealed API key, kept apart so reads never carry it
	llmField  = "settings.llm_api_key"
)

// Service reads and changes settings.
type Service struct {
	DB    *store.DB
	Audit *audit.Log
	Clock kefu.Clock
	Vault *vault.Keyring
}

// Current returns the settings for kefu's own use; no permission is checked.
// Missing values take their defaults.
func (s *Service) Current(ctx context.Context) (kefu.Settings, error) {
	all, err := s.DB.Settings(ctx)
	if err != nil {
		return kefu.Settings{}, err
	}
	out := kefu.DefaultSettings()
	if raw, ok := all[key]; ok {
		if err := json.Unmarshal([]byte(raw), &out); err != nil {
			return kefu.Settings{}, err
		}
	}
	out.LLMAPIKey, out.LLMAPIKeyClear = "", false
	_, out.LLMAPIKeySet = all[llmKeyKey]
	return out, nil
}

// LLMAPIKey returns the generative-answer endpoint's key in clear, for
// kefu's own use only; "" when none is stored.
func (s *Service) LLMAPIKey(ctx context.Context) (string, error) {
	all, err := s.DB.Settings(ctx)
	if err != nil || all[llmKeyKey] == "" {
		return "", err
	}
	sealed, err := base64.StdEncoding.DecodeString(all[llmKeyKey])
	if err != nil {
		return "", err
	}
	return s.Vault.Decrypt(llmField, sealed)
}

// Get returns the settings. Requires settings.manage.
func (s *Service) Get(ctx context.Context) (kefu.Settings, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return kefu.Settings{}, err
	}
	return s.Current(ctx)
}

// Update validates and stores the settings, recording the change in the
// audit log with the old and new values. Requires settings.manage.
func (s *Service) Update(ctx context.Context, next kefu.Settings) (kefu.Settings, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return kefu.Settings{}, err
	}
	if err := next.Validate(); err != nil {
		return kefu.Settings{}, err
	}
	prev, err := s.Current(ctx)
	if err != nil {
		return kefu.Settings{}, err
	}
	newKey, clearKey := next.LLMAPIKey, next.LLMAPIKeyClear
	var sealed string
	if newKey != "" && !clearKey {
		ct, err := s.Vault.Encrypt(llmField, newKey)
		if err != nil {
			return kefu.Settings{}, err
		}
		sealed = base64.StdEncoding.EncodeToString(ct)
	}
	next.LLMAPIKey, next.LLMAPIKeyClear = "", false
	next.LLMAPIKeySet = sealed != "" || (prev.LLMAPIKeySet && !clearKey)
	raw, _ := json.Marshal(next)
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.PutSetting(ctx, key, string(raw), now); err != nil {
			return err
		}
		switch {
		case clearKey:
			if err := q.DeleteSetting(ctx, llmKeyKey); err != nil {
				return err
			}
		case sealed != "":
			if err := q.PutSetting(ctx, llmKeyKey, sealed, now); err != nil {
				return err
			}
		}
		// The key itself never reaches the audit log; that it changed does.
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditSettingsChange, TargetType: "settings", TargetID: key,
			Detail: map[string]any{"before": prev, "after": next, "llm_api_key_changed": clearKey || sealed != ""}})
	})
	return next, err
}

// Workspace returns the settings with the workspace's time zone loaded:
// what reports, deadlines and business-hours messages count days in.
func (s *Service) Workspace(ctx context.Context) (kefu.Settings, *time.Location, error) {
	cfg, err := s.Current(ctx)
	if err != nil {
		return cfg, nil, err
	}
	loc, err := time.LoadLocation(cfg.TimeZone)
	return cfg, loc, err
}
