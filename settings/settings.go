// Package settings reads and changes the workspace settings.
package settings

import (
	"context"
	"encoding/json"

	"kefu"
	"kefu/audit"
	"kefu/store"
)

const key = "workspace"

// Service reads and changes settings.
type Service struct {
	DB    *store.DB
	Audit *audit.Log
	Clock kefu.Clock
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
	return out, nil
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
	raw, _ := json.Marshal(next)
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.PutSetting(ctx, key, string(raw), s.Clock.Now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditSettingsChange, TargetType: "settings", TargetID: key,
			Detail: map[string]any{"before": prev, "after": next}})
	})
	return next, err
}
