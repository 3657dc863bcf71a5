package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"kefu"
	"kefu/canned"
	"kefu/channel/webchat"
	"kefu/inbox"
	"kefu/webhook"
)

func (s *Server) conversationRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/conversations", handler: s.conversations},
		{Method: "GET", Path: "/api/v1/conversations/{id}", handler: s.conversation},
		{Method: "PATCH", Path: "/api/v1/conversations/{id}", handler: s.updateConversation},
		{Method: "GET", Path: "/api/v1/conversations/{id}/messages", handler: s.messages},
		{Method: "POST", Path: "/api/v1/conversations/{id}/messages", handler: s.reply},
		{Method: "POST", Path: "/api/v1/conversations/{id}/notes", handler: s.note},
		{Method: "GET", Path: "/api/v1/conversations/{id}/events", handler: s.events},
		{Method: "POST", Path: "/api/v1/conversations/{id}/assign", handler: s.assign},
		{Method: "POST", Path: "/api/v1/conversations/{id}/transfer", handler: s.transfer},
		{Method: "POST", Path: "/api/v1/conversations/{id}/status", handler: s.setStatus},
		{Method: "POST", Path: "/api/v1/conversations/{id}/read", handler: s.markRead},
		{Method: "GET", Path: "/api/v1/conversations/{id}/suggestions", handler: s.suggestions},
		{Method: "GET", Path: "/api/v1/contacts/{id}/conversations", handler: s.contactConversations},
		{Method: "GET", Path: "/api/v1/search", handler: s.search},
		{Method: "GET", Path: "/api/v1/agents", handler: s.agents},
		{Method: "GET", Path: "/api/v1/teams", handler: s.teams},
		{Method: "POST", Path: "/api/v1/uploads", handler: s.upload},
		{Method: "GET", Path: "/api/v1/ws", handler: s.agentSocket},

		{Method: "GET", Path: "/api/v1/canned-replies", handler: s.cannedReplies},
		{Method: "POST", Path: "/api/v1/canned-replies", handler: s.createCanned},
		{Method: "PATCH", Path: "/api/v1/canned-replies/{id}", handler: s.updateCanned},
		{Method: "DELETE", Path: "/api/v1/canned-replies/{id}", handler: s.deleteCanned},

		{Method: "GET", Path: "/api/v1/inboxes", handler: s.inboxes},
		{Method: "POST", Path: "/api/v1/inboxes", handler: s.createInbox},
		{Method: "PATCH", Path: "/api/v1/inboxes/{id}", handler: s.updateInbox},

		{Method: "GET", Path: "/api/v1/webhooks", handler: s.webhooks},
		{Method: "POST", Path: "/api/v1/webhooks", handler: s.createWebhook},
		{Method: "PATCH", Path: "/api/v1/webhooks/{id}", handler: s.updateWebhook},
		{Method: "DELETE", Path: "/api/v1/webhooks/{id}", handler: s.deleteWebhook},
		{Method: "GET", Path: "/api/v1/webhooks/{id}/deliveries", handler: s.deliveries},
	}
}

// ok writes v as JSON with status, or returns err.
func ok(w http.ResponseWriter, status int, v any, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, status, v)
	return nil
}

func (s *Server) conversations(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	res, err := s.App.Inbox.List(r.Context(), kefu.ConversationFilter{View: q.Get("view"), Status: q.Get("status"),
		Channel: q.Get("channel"), Label: q.Get("label"), Cursor: q.Get("cursor"), Limit: limit})
	return ok(w, http.StatusOK, res, err)
}

func (s *Server) conversation(w http.ResponseWriter, r *http.Request) error {
	c, err := s.App.Inbox.Get(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, c, err)
}

func (s *Server) updateConversation(w http.ResponseWriter, r *http.Request) error {
	var in inbox.Patch
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.App.Inbox.Update(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusOK, c, err)
}

func (s *Server) messages(w http.ResponseWriter, r *http.Request) error {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	msgs, err := s.App.Inbox.Messages(r.Context(), r.PathValue("id"), after, limit)
	return ok(w, http.StatusOK, items(msgs), err)
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		ClientID    string   `json:"client_id"`
		Text        string   `json:"text"`
		Attachments []string `json:"attachments"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	m, err := s.App.Inbox.Reply(r.Context(), r.PathValue("id"), in.ClientID, in.Text, in.Attachments)
	return ok(w, http.StatusCreated, m, err)
}

func (s *Server) note(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Text     string   `json:"text"`
		Mentions []string `json:"mentions"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	m, err := s.App.Inbox.Note(r.Context(), r.PathValue("id"), in.Text, in.Mentions)
	return ok(w, http.StatusCreated, m, err)
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Inbox.Events(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) assign(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		AssigneeID *string `json:"assignee_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	id := ""
	if in.AssigneeID != nil {
		id = *in.AssigneeID
	}
	c, err := s.App.Inbox.Assign(r.Context(), r.PathValue("id"), id)
	return ok(w, http.StatusOK, c, err)
}

func (s *Server) transfer(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		AssigneeID string `json:"assignee_id"`
		TeamID     string `json:"team_id"`
		Note       string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.App.Inbox.Transfer(r.Context(), r.PathValue("id"), in.AssigneeID, in.TeamID, in.Note)
	return ok(w, http.StatusOK, c, err)
}

func (s *Server) setStatus(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Status       string     `json:"status"`
		SnoozedUntil *time.Time `json:"snoozed_until"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.App.Inbox.SetStatus(r.Context(), r.PathValue("id"), in.Status, in.SnoozedUntil)
	return ok(w, http.StatusOK, c, err)
}

func (s *Server) markRead(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Seq int64 `json:"seq"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	return noContent(w, s.App.Inbox.MarkRead(r.Context(), r.PathValue("id"), in.Seq))
}

func (s *Server) suggestions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Inbox.Suggest(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) contactConversations(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Inbox.ContactConversations(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	limit, err := queryLimit(r)
	if err != nil {
		return err
	}
	res, err := s.App.Inbox.Search(r.Context(), r.URL.Query().Get("q"), limit)
	return ok(w, http.StatusOK, res, err)
}

func (s *Server) agents(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Inbox.Agents(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) teams(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Inbox.Teams(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}

// upload stores a file an agent attaches. Requires conversations.reply.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) error {
	a, err := kefu.Require(r.Context(), kefu.PermConversationsReply)
	if err != nil {
		return err
	}
	att, err := s.saveUpload(r, kefu.SenderAgent, a.UserID)
	return ok(w, http.StatusCreated, att, err)
}

// saveUpload reads the multipart field "file" and stores it.
func (s *Server) saveUpload(r *http.Request, uploaderType, uploaderID string) (kefu.Attachment, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, 11<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return kefu.Attachment{}, kefu.Invalid("file", "Send the file as multipart form field \"file\" (at most 10 MB).")
	}
	defer f.Close()
	return s.App.Uploads.Save(r.Context(), f, hdr.Filename, uploaderType, uploaderID)
}

func (s *Server) cannedReplies(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Canned.List(r.Context(), r.URL.Query().Get("q"), r.URL.Query().Get("scope"))
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) createCanned(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Shortcut string `json:"shortcut"`
		Title    string `json:"title"`
		Content  string `json:"content"`
		Scope    string `json:"scope"`
		TeamID   string `json:"team_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.App.Canned.Create(r.Context(), kefu.CannedReply{Shortcut: in.Shortcut, Title: in.Title, Content: in.Content,
		Scope: in.Scope, TeamID: in.TeamID})
	return ok(w, http.StatusCreated, c, err)
}

func (s *Server) updateCanned(w http.ResponseWriter, r *http.Request) error {
	var in canned.Patch
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.App.Canned.Update(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusOK, c, err)
}

func (s *Server) deleteCanned(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.Canned.Delete(r.Context(), r.PathValue("id")))
}

func (s *Server) inboxes(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Webchat.Inboxes(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) createInbox(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name           string   `json:"name"`
		TeamID         string   `json:"team_id"`
		Greeting       string   `json:"greeting"`
		OfflineMessage string   `json:"offline_message"`
		PrechatEnabled bool     `json:"prechat_enabled"`
		PrechatFields  []string `json:"prechat_fields"`
		ReopenHours    int      `json:"reopen_window_hours"`
		BotEnabled     bool     `json:"bot_enabled"`
		BotThreshold   float64  `json:"bot_threshold"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	ib, err := s.App.Webchat.CreateInbox(r.Context(), kefu.Inbox{Name: in.Name, TeamID: in.TeamID, Greeting: in.Greeting,
		OfflineMessage: in.OfflineMessage, PrechatEnabled: in.PrechatEnabled, PrechatFields: in.PrechatFields, ReopenHours: in.ReopenHours,
		BotEnabled: in.BotEnabled, BotThreshold: in.BotThreshold})
	return ok(w, http.StatusCreated, ib, err)
}

func (s *Server) updateInbox(w http.ResponseWriter, r *http.Request) error {
	var in webchat.InboxPatch
	if err := decode(r, &in); err != nil {
		return err
	}
	ib, err := s.App.Webchat.UpdateInbox(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusOK, ib, err)
}

func (s *Server) webhooks(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Hooks.List(r.Context())
	return ok(w, http.StatusOK, items(list), err)
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		URL    string   `json:"url"`
		Events []string `json:"events"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	h, err := s.App.Hooks.Create(r.Context(), kefu.Webhook{URL: in.URL, Events: in.Events})
	return ok(w, http.StatusCreated, h, err)
}

func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request) error {
	var in webhook.Patch
	if err := decode(r, &in); err != nil {
		return err
	}
	h, err := s.App.Hooks.Update(r.Context(), r.PathValue("id"), in)
	return ok(w, http.StatusOK, h, err)
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) error {
	return noContent(w, s.App.Hooks.Delete(r.Context(), r.PathValue("id")))
}

func (s *Server) deliveries(w http.ResponseWriter, r *http.Request) error {
	list, err := s.App.Hooks.Deliveries(r.Context(), r.PathValue("id"))
	return ok(w, http.StatusOK, items(list), err)
}
