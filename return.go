package kefu

import "time"

// ReturnEvent is one step of a return's timeline.
type ReturnEvent struct {
	ID        string         `json:"id"`
	ReturnID  string         `json:"return_id"`
	Type      string         `json:"type"` // state, or a deadline moment: deadline_warning, deadline_missed, penalty_risk
	ActorType string         `json:"actor_type"`
	ActorID   string         `json:"actor_id,omitempty"`
	ActorName string         `json:"actor_name,omitempty"`
	Data      map[string]any `json:"data"`
	CreatedAt time.Time      `json:"created_at"`
}
