package httpapi

import (
	"net/http"

	"kefu/routing"
)

func (s *Server) routingRoutes() []Route {
	return []Route{
		{Method: "PUT", Path: "/api/v1/me/presence", handler: s.setPresence},
		{Method: "GET", Path: "/api/v1/routing/agents", handler: s.routingAgents},
		{Method: "PATCH", Path: "/api/v1/routing/agents/{id}", handler: s.updateRoutingAgent},
		{Method: "GET", Path: "/api/v1/routing/queue", handler: s.routingQueue},
		{Method: "POST", Path: "/api/v1/teams", handler: s.createTeam},
		{Method: "PATCH", Path: "/api/v1/teams/{id}", handler: s.updateTeam},
	}
}

func (s *Server) setPresence(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Status string `json:"status"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	agent, err := s.App.Routing.SetPresence(r.Context(), "", in.Status)
	return ok(w, http.StatusOK, agent, err)
}

func (s *Server) routingAgents(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Routing.Agents(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) updateRoutingAgent(w http.ResponseWriter, r *http.Request) error {
	var in routing.AgentPatch
	if err := decode(r, &in); err != nil {
		return err
	}
	agent, err := s.App.Routing.UpdateAgent(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusOK, agent, err)
}

func (s *Server) routingQueue(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Routing.Overview(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) createTeam(w http.ResponseWriter, r *http.Request) error {
	var in routing.TeamPatch
	if err := decode(r, &in); err != nil {
		return err
	}
	team, err := s.App.Routing.CreateTeam(r.Context(), in)
	return ok(w, http.StatusCreated, team, err)
}

func (s *Server) updateTeam(w http.ResponseWriter, r *http.Request) error {
	var in routing.TeamPatch
	if err := decode(r, &in); err != nil {
		return err
	}
	team, err := s.App.Routing.UpdateTeam(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusOK, team, err)
}
