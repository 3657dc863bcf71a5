package httpapi

import (
	"net/http"
	"strconv"

	"kefu"
)

func (s *Server) reportRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/reports/bot", handler: s.botReport},
	}
}

// queryDays reads the days parameter of a report; 30 when absent.
func queryDays(r *http.Request) (int, error) {
	v := r.URL.Query().Get("days")
	if v == "" {
		return 30, nil
	}
	days, err := strconv.Atoi(v)
	if err != nil {
		return 0, kefu.Invalid("days", "Give a whole number of days.")
	}
	return days, nil
}

func (s *Server) botReport(w http.ResponseWriter, r *http.Request) error {
	days, err := queryDays(r)
	if err != nil {
		return err
	}
	report, err := s.App.Bot.Report(r.Context(), days)
	return ok(w, http.StatusOK, report, err)
}
