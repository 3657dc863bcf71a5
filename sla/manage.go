package sla

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"kefu"
	"kefu/calendar"
	"kefu/store"
)

// Calendar is a named business-hours calendar as the API shows it.
type Calendar struct {
	store.CalendarRow
	calendar.Calendar
}

func toCalendar(row store.CalendarRow) (Calendar, error) {
	c := Calendar{CalendarRow: row}
	return c, json.Unmarshal([]byte(row.Definition), &c.Calendar)
}

// Calendars lists the calendars. Any signed-in user may read them: agents
// see their team's hours.
func (s *Service) Calendars(ctx context.Context) ([]Calendar, error) {
	if _, err := kefu.RequireActor(ctx); err != nil {
		return nil, err
	}
	rows, err := s.DB.Calendars(ctx)
	if err != nil {
		return nil, err
	}
	out := []Calendar{}
	for _, r := range rows {
		c, err := toCalendar(r)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// PutCalendar creates (empty id) or replaces a calendar after validating it.
// Requires settings.manage.
func (s *Service) PutCalendar(ctx context.Context, id, name string, isDefault bool, def calendar.Calendar) (Calendar, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return Calendar{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 60 {
		return Calendar{}, kefu.Invalid("name", "A calendar name has 1 to 60 characters.")
	}
	if def.TimeZone == "" {
		def.TimeZone = calendar.DefaultTimeZone
	}
	if _, err := def.Compile(); err != nil {
		return Calendar{}, err
	}
	now := s.Clock.Now()
	row := store.CalendarRow{ID: id, Name: name, IsDefault: isDefault, CreatedAt: now, UpdatedAt: now}
	if id == "" {
		row.ID = kefu.NewID()
	} else if cur, err := s.DB.Calendar(ctx, id); err != nil {
		return Calendar{}, err
	} else {
		row.CreatedAt = cur.CreatedAt
	}
	raw, _ := json.Marshal(def)
	row.Definition = string(raw)
	if err := s.DB.InTx(ctx, func(q *store.Queries) error { return q.PutCalendar(ctx, row) }); err != nil {
		return Calendar{}, err
	}
	s.forget()
	return Calendar{CalendarRow: row, Calendar: def}, nil
}

// ImportSchedule adds the official holidays and make-up working days of a
// year (CSV date,name,kind; see calendar.ParseSchedule) to a calendar,
// replacing any entries for the same dates. Requires settings.manage.
func (s *Service) ImportSchedule(ctx context.Context, id string, r io.Reader) (Calendar, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return Calendar{}, err
	}
	row, err := s.DB.Calendar(ctx, id)
	if err != nil {
		return Calendar{}, err
	}
	cur, err := toCalendar(row)
	if err != nil {
		return Calendar{}, err
	}
	holidays, workdays, err := calendar.ParseSchedule(r)
	if err != nil {
		return Calendar{}, err
	}
	dates := map[string]bool{}
	for _, d := range append(slices.Clone(holidays), workdays...) {
		dates[d.Date] = true
	}
	keep := func(days []calendar.Day) []calendar.Day {
		return slices.DeleteFunc(slices.Clone(days), func(d calendar.Day) bool { return dates[d.Date] })
	}
	def := cur.Calendar
	def.Holidays = append(keep(def.Holidays), holidays...)
	def.Workdays = append(keep(def.Workdays), workdays...)
	return s.PutCalendar(ctx, id, row.Name, row.IsDefault, def)
}

// DeleteCalendar removes a calendar. Requires settings.manage.
func (s *Service) DeleteCalendar(ctx context.Context, id string) error {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return err
	}
	defer s.forget()
	return s.DB.DeleteCalendar(ctx, id)
}

// Policies lists the SLA policies in the order they are tried. Any
// signed-in user may read them.
func (s *Service) Policies(ctx context.Context) ([]kefu.SLAPolicy, error) {
	if _, err := kefu.RequireActor(ctx); err != nil {
		return nil, err
	}
	return s.DB.SLAPolicies(ctx)
}

// PutPolicy creates (empty ID) or replaces a policy after validating it.
// Open conversations keep the due times they have until they change.
// Requires settings.manage.
func (s *Service) PutPolicy(ctx context.Context, p kefu.SLAPolicy) (kefu.SLAPolicy, error) {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return p, err
	}
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "" || utf8.RuneCountInString(p.Name) > 60:
		return p, kefu.Invalid("name", "A policy name has 1 to 60 characters.")
	case p.Priority != "" && !slices.Contains(kefu.Priorities, p.Priority):
		return p, kefu.Invalid("priority", "Use one of %s, or empty for any.", strings.Join(kefu.Priorities, ", "))
	case p.FirstResponseMinutes < 0 || p.NextResponseMinutes < 0 || p.ResolutionMinutes < 0:
		return p, kefu.Invalid("first_response_minutes", "Targets are minutes of business time, 0 for none.")
	case p.FirstResponseMinutes == 0 && p.NextResponseMinutes == 0 && p.ResolutionMinutes == 0:
		return p, kefu.Invalid("first_response_minutes", "Set at least one target.")
	case p.WarnPercent < 0 || p.WarnPercent > 99:
		return p, kefu.Invalid("warn_percent", "Warn at 1 to 99 percent of a target, or 0 for no warning.")
	}
	if p.TeamID != "" {
		if _, err := s.DB.Team(ctx, p.TeamID); kefu.ErrorCode(err) == kefu.ENOTFOUND {
			return p, kefu.Invalid("team_id", "There is no team %q.", p.TeamID)
		} else if err != nil {
			return p, err
		}
	}
	now := s.Clock.Now()
	p.UpdatedAt = now
	if p.ID == "" {
		p.ID, p.CreatedAt = kefu.NewID(), now
	} else {
		all, err := s.DB.SLAPolicies(ctx)
		if err != nil {
			return p, err
		}
		cur := policyByID(all, p.ID)
		if cur == nil {
			return p, kefu.Errorf(kefu.ENOTFOUND, "SLA policy not found.")
		}
		p.CreatedAt = cur.CreatedAt
	}
	defer s.forget()
	return p, s.DB.PutSLAPolicy(ctx, p)
}

// DeletePolicy removes a policy. Requires settings.manage.
func (s *Service) DeletePolicy(ctx context.Context, id string) error {
	if _, err := kefu.Require(ctx, kefu.PermSettingsManage); err != nil {
		return err
	}
	defer s.forget()
	return s.DB.DeleteSLAPolicy(ctx, id)
}

// DefaultPolicies are the targets of the brief (电商客户服务管理方案):
// live chat answered within 3 minutes; urgent matters (complaints are made
// urgent by the shipped rules) answered within an hour; everything else
// within 24 hours; all resolved within 48 hours. Business time.
func DefaultPolicies(now time.Time) []kefu.SLAPolicy {
	return []kefu.SLAPolicy{
		{ID: kefu.NewID(), Name: "在线咨询 3 分钟首响", Channel: kefu.ChannelWebchat, FirstResponseMinutes: 3, NextResponseMinutes: 5,
			ResolutionMinutes: 48 * 60, WarnPercent: 80, Position: 10, CreatedAt: now, UpdatedAt: now},
		{ID: kefu.NewID(), Name: "紧急（投诉）1 小时首响", Priority: "urgent", FirstResponseMinutes: 60, NextResponseMinutes: 60,
			ResolutionMinutes: 48 * 60, WarnPercent: 80, Position: 20, CreatedAt: now, UpdatedAt: now},
		{ID: kefu.NewID(), Name: "普通 24 小时首响", FirstResponseMinutes: 24 * 60, NextResponseMinutes: 24 * 60,
			ResolutionMinutes: 48 * 60, WarnPercent: 80, Position: 30, CreatedAt: now, UpdatedAt: now},
	}
}

// EnsureDefaults stores the default policies in a workspace that never had
// any. A workspace whose admin deleted them keeps none.
func (s *Service) EnsureDefaults(ctx context.Context) error {
	const marker = "sla_defaults"
	all, err := s.DB.Settings(ctx)
	if err != nil || all[marker] != "" {
		return err
	}
	now := s.Clock.Now()
	defer s.forget()
	return s.DB.InTx(ctx, func(q *store.Queries) error {
		for _, p := range DefaultPolicies(now) {
			if err := q.PutSLAPolicy(ctx, p); err != nil {
				return err
			}
		}
		return q.PutSetting(ctx, marker, now.UTC().Format(time.RFC3339), now)
	})
}
