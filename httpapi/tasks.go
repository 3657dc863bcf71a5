package httpapi

import (
	"net/http"

	"kefu/tasks"
)

func (s *Server) taskRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/conversations/{id}/tasks", handler: s.conversationTasks},
		{Method: "POST", Path: "/api/v1/conversations/{id}/tasks", handler: s.createTask},
		{Method: "PATCH", Path: "/api/v1/tasks/{id}", handler: s.updateTask},
		{Method: "GET", Path: "/api/v1/me/tasks", handler: s.myTasks},
	}
}

func (s *Server) conversationTasks(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Tasks.List(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) createTask(w http.ResponseWriter, r *http.Request) error {
	var in tasks.Input
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.App.Tasks.Create(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusCreated, t, err)
}

func (s *Server) updateTask(w http.ResponseWriter, r *http.Request) error {
	var in tasks.Input
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.App.Tasks.Update(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusOK, t, err)
}

func (s *Server) myTasks(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Tasks.Mine(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}
