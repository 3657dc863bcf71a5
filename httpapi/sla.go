package httpapi

import (
	"net/http"

	"kefu"
	"kefu/calendar"
	"kefu/rules"
)

func (s *Server) slaRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/calendars", handler: s.calendars},
		{Method: "POST", Path: "/api/v1/calendars", handler: s.putCalendar},
		{Method: "PUT", Path: "/api/v1/calendars/{id}", handler: s.putCalendar},
		{Method: "DELETE", Path: "/api/v1/calendars/{id}", handler: s.deleteCalendar},
		{Method: "POST", Path: "/api/v1/calendars/{id}/schedule", handler: s.importSchedule},
		{Method: "GET", Path: "/api/v1/sla-policies", handler: s.slaPolicies},
		{Method: "POST", Path: "/api/v1/sla-policies", handler: s.putSLAPolicy},
		{Method: "PUT", Path: "/api/v1/sla-policies/{id}", handler: s.putSLAPolicy},
		{Method: "DELETE", Path: "/api/v1/sla-policies/{id}", handler: s.deleteSLAPolicy},
		{Method: "GET", Path: "/api/v1/rules", handler: s.rules},
		{Method: "POST", Path: "/api/v1/rules", handler: s.putRule},
		{Method: "PUT", Path: "/api/v1/rules/{id}", handler: s.putRule},
		{Method: "DELETE", Path: "/api/v1/rules/{id}", handler: s.deleteRule},
		{Method: "POST", Path: "/api/v1/rules/preview", handler: s.previewRule},
	}
}

func (s *Server) calendars(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.SLA.Calendars(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}

// putCalendar creates (POST) or replaces (PUT) a calendar.
func (s *Server) putCalendar(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name      string `json:"name"`
		IsDefault bool   `json:"is_default"`
		calendar.Calendar
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.App.SLA.PutCalendar(r.Context(), r.PathValue("id"), in.Name, in.IsDefault, in.Calendar)
	return ok(w, createdOr(r), c, err)
}

func (s *Server) deleteCalendar(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.SLA.DeleteCalendar(r.Context(), r.PathValue("id")))
}

// importSchedule adds a year's official holidays and make-up working days,
// sent as CSV (date,name,kind) in the body.
func (s *Server) importSchedule(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	c, err := s.App.SLA.ImportSchedule(r.Context(), r.PathValue("id"), r.Body)
	return ok(w, http.StatusOK, c, err)
}

func (s *Server) slaPolicies(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.SLA.Policies(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) putSLAPolicy(w http.ResponseWriter, r *http.Request) error {
	var in kefu.SLAPolicy
	if err := decode(r, &in); err != nil {
		return err
	}
	in.ID = r.PathValue("id")
	p, err := s.App.SLA.PutPolicy(r.Context(), in)
	return ok(w, createdOr(r), p, err)
}

func (s *Server) deleteSLAPolicy(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.SLA.DeletePolicy(r.Context(), r.PathValue("id")))
}

func (s *Server) rules(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Automation.Rules(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) putRule(w http.ResponseWriter, r *http.Request) error {
	var in rules.Rule
	if err := decode(r, &in); err != nil {
		return err
	}
	in.ID = r.PathValue("id")
	rule, err := s.App.Automation.PutRule(r.Context(), in)
	return ok(w, createdOr(r), rule, err)
}

func (s *Server) deleteRule(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.Automation.DeleteRule(r.Context(), r.PathValue("id")))
}

// previewRule tests a rule on a conversation (its current state and a
// message text) or on a message text alone.
func (s *Server) previewRule(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Rule           rules.Rule   `json:"rule"`
		ConversationID string       `json:"conversation_id"`
		Text           string       `json:"text"`
		Facts          *rules.Facts `json:"facts"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	matched, why, err := s.App.Automation.Preview(r.Context(), in.Rule, in.ConversationID, in.Text, in.Facts)
	return ok(w, http.StatusOK, map[string]any{"matched": matched, "conditions": why}, err)
}

// createdOr is 201 for a POST that creates, 200 for a PUT that replaces.
func createdOr(r *http.Request) int {
	if r.Method == http.MethodPost {
		return http.StatusCreated
	}
	return http.StatusOK
}
