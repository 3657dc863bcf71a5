package bot

import (
	"context"
	"fmt"
	"slices"

	"kefu"
	"kefu/store"
)

// An Action answers a request from data another part of kefu owns — where
// an order is, starting a return — instead of from the knowledge base.
// Actions are registered per intent; the after-sales part of kefu plugs its
// own in at start-up.
type Action interface {
	Run(ctx context.Context, req ActionRequest) (ActionResult, error)
}

// ActionFunc lets a plain function be an Action.
type ActionFunc func(ctx context.Context, req ActionRequest) (ActionResult, error)

// Run calls f.
func (f ActionFunc) Run(ctx context.Context, req ActionRequest) (ActionResult, error) {
	return f(ctx, req)
}

// ActionRequest is what an action is given: the conversation (its contact
// tells who the customer is), the message, everything the customer said so
// far, the detected intent, and the bot's previous turn — which tells an
// action that asked a question (an order number, say) that this message is
// the answer.
type ActionRequest struct {
	Conversation kefu.Conversation
	Message      kefu.Message
	Said         []string
	Intent       string
	Lang         string // zh-CN or en
	Last         *store.BotTurn
}

// AskedLast reports whether the bot's previous turn was this action's.
func (r ActionRequest) AskedLast(name string) bool {
	return r.Last != nil && r.Last.Outcome == "action" && r.Last.Reason == name
}

// ActionResult is what an action did. An empty result means it has nothing
// to say, and the bot answers from the knowledge base as usual.
type ActionResult struct {
	Reply   string // the bot's answer to the customer
	HandOff string // a handoff reason when a human must take over (the action's name is a good one)
}

type registered struct {
	name   string
	intent string
	action Action
}

// RegisterAction adds an action for an intent. Call it while wiring kefu,
// before serving; names are unique and are recorded on the bot's turns.
func (s *Service) RegisterAction(intent, name string, a Action) {
	s.modelsMu.Lock()
	defer s.modelsMu.Unlock()
	for _, r := range s.actions {
		if r.name == name {
			panic(fmt.Sprintf("bot: action %q registered twice", name))
		}
	}
	s.actions = append(s.actions, registered{name: name, intent: intent, action: a})
}

// UnregisterAction removes an action by name; it is no error if there is none.
func (s *Service) UnregisterAction(name string) {
	s.modelsMu.Lock()
	defer s.modelsMu.Unlock()
	s.actions = slices.DeleteFunc(s.actions, func(r registered) bool { return r.name == name })
}

// runActions gives the message to the action that asked the last question,
// then to the actions of the detected intent in the order they were
// registered, and returns the first result that says something.
func (s *Service) runActions(ctx context.Context, req ActionRequest) (string, ActionResult, error) {
	s.modelsMu.RLock()
	var candidates []registered
	for _, r := range s.actions {
		if req.AskedLast(r.name) {
			candidates = append([]registered{r}, candidates...)
		} else if r.intent == req.Intent {
			candidates = append(candidates, r)
		}
	}
	s.modelsMu.RUnlock()
	for _, r := range candidates {
		res, err := r.action.Run(ctx, req)
		if err != nil {
			return r.name, res, fmt.Errorf("bot action %s: %w", r.name, err)
		}
		if res.Reply != "" || res.HandOff != "" {
			return r.name, res, nil
		}
	}
	return "", ActionResult{}, nil
}
