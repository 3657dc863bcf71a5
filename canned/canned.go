// Package canned keeps the canned replies (话术库) agents insert by typing
// "/shortcut": personal ones, a team's, and shared ones for everybody.
package canned

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"kefu"
	"kefu/store"
	"kefu/text"
)

// Scopes.
const (
	ScopePersonal = "personal"
	ScopeTeam     = "team"
	ScopeShared   = "shared"
)

// Service manages canned replies.
type Service struct {
	DB    *store.DB
	Clock kefu.Clock
}

var shortcutPattern = regexp.MustCompile(`^[\p{L}\p{N}_-]{1,30}$`)

// List returns the replies the actor may use, optionally those whose
// shortcut, title or content contain query, and of one scope.
func (s *Service) List(ctx context.Context, query, scope string) ([]kefu.CannedReply, error) {
	a, err := kefu.Require(ctx, kefu.PermConversationsReply)
	if err != nil {
		return nil, err
	}
	all, err := s.DB.CannedReplies(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	query = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(query), "/"))
	out := []kefu.CannedReply{}
	for _, c := range all {
		if scope != "" && c.Scope != scope {
			continue
		}
		if query != "" && !strings.Contains(strings.ToLower(c.Shortcut+"\n"+c.Title+"\n"+c.Content), query) {
			continue
		}
		out = append(out, c)
	}
	// Shortcut matches first, so "/" + a few letters finds the reply at once.
	slices.SortStableFunc(out, func(x, y kefu.CannedReply) int {
		return boolRank(strings.HasPrefix(strings.ToLower(x.Shortcut), query)) - boolRank(strings.HasPrefix(strings.ToLower(y.Shortcut), query))
	})
	return out, nil
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

// authorize checks that the actor may write a reply of c's scope: personal
// ones need conversations.reply (and are the actor's own); team and shared
// ones need canned.manage.
func authorize(a *kefu.Actor, c kefu.CannedReply) error {
	if c.Scope == ScopePersonal {
		if !a.Can(kefu.PermConversationsReply) {
			return kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermConversationsReply)
		}
		if c.OwnerID != a.UserID {
			return kefu.Errorf(kefu.ENOTFOUND, "Canned reply not found.")
		}
		return nil
	}
	if !a.Can(kefu.PermCannedManage) {
		return kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for team and shared replies.", kefu.PermCannedManage)
	}
	return nil
}

func (s *Service) validate(ctx context.Context, c *kefu.CannedReply) error {
	c.Shortcut = strings.TrimPrefix(strings.TrimSpace(c.Shortcut), "/")
	c.Title, c.Content = strings.TrimSpace(c.Title), strings.TrimSpace(c.Content)
	switch {
	case !shortcutPattern.MatchString(c.Shortcut):
		return kefu.Invalid("shortcut", "Use 1 to 30 letters, digits, - or _, such as 快递 or refund.")
	case c.Title == "" || utf8.RuneCountInString(c.Title) > 100:
		return kefu.Invalid("title", "Enter a title of 1 to 100 characters.")
	case c.Content == "" || utf8.RuneCountInString(c.Content) > 5000:
		return kefu.Invalid("content", "Enter the reply, at most 5000 characters.")
	case !slices.Contains([]string{ScopePersonal, ScopeTeam, ScopeShared}, c.Scope):
		return kefu.Invalid("scope", "Use personal, team or shared.")
	}
	if c.Scope != ScopeTeam {
		c.TeamID = ""
		return nil
	}
	teams, err := s.DB.Teams(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(teams, func(t kefu.Team) bool { return t.ID == c.TeamID }) {
		return kefu.Invalid("team_id", "Choose the team this reply is for.")
	}
	return nil
}

// Create adds a canned reply.
func (s *Service) Create(ctx context.Context, c kefu.CannedReply) (kefu.CannedReply, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return c, err
	}
	if err := s.validate(ctx, &c); err != nil {
		return c, err
	}
	c.OwnerID = ""
	if c.Scope == ScopePersonal {
		c.OwnerID = a.UserID
	}
	if err := authorize(a, c); err != nil {
		return c, err
	}
	c.ID, c.CreatedAt, c.UpdatedAt = kefu.NewID(), s.Clock.Now(), s.Clock.Now()
	return c, s.DB.SaveCannedReply(ctx, c)
}

// Patch changes some of a canned reply's fields; nil fields stay.
type Patch struct {
	Shortcut *string `json:"shortcut"`
	Title    *string `json:"title"`
	Content  *string `json:"content"`
	Scope    *string `json:"scope"`
	TeamID   *string `json:"team_id"`
}

// Update changes a canned reply; the actor needs the right for its old and new scope.
func (s *Service) Update(ctx context.Context, id string, p Patch) (kefu.CannedReply, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return kefu.CannedReply{}, err
	}
	c, err := s.DB.CannedReply(ctx, id)
	if err != nil {
		return c, err
	}
	if err := authorize(a, c); err != nil {
		return c, err
	}
	kefu.Set(&c.Shortcut, p.Shortcut)
	kefu.Set(&c.Title, p.Title)
	kefu.Set(&c.Content, p.Content)
	kefu.Set(&c.Scope, p.Scope)
	kefu.Set(&c.TeamID, p.TeamID)
	if err := s.validate(ctx, &c); err != nil {
		return c, err
	}
	if c.Scope == ScopePersonal && c.OwnerID == "" {
		c.OwnerID = a.UserID
	}
	if err := authorize(a, c); err != nil {
		return c, err
	}
	c.UpdatedAt = s.Clock.Now()
	return c, s.DB.SaveCannedReply(ctx, c)
}

// Delete removes a canned reply.
func (s *Service) Delete(ctx context.Context, id string) error {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return err
	}
	c, err := s.DB.CannedReply(ctx, id)
	if err != nil {
		return err
	}
	if err := authorize(a, c); err != nil {
		return err
	}
	return s.DB.DeleteCannedReply(ctx, id)
}

// Match is a canned reply and how well it fits a customer's message.
type Match struct {
	Reply kefu.CannedReply
	Score float64 // the share of the reply's title and shortcut terms found in the message
}

// Match returns the actor's canned replies that fit a customer's message
// best, for agent assist: those whose title or shortcut words the message
// contains.
func (s *Service) Match(ctx context.Context, message string, k int) ([]Match, error) {
	all, err := s.List(ctx, "", "")
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, t := range text.Terms(message) {
		have[t] = true
	}
	var out []Match
	for _, c := range all {
		terms := text.Terms(c.Title + " " + c.Shortcut)
		if len(terms) == 0 {
			continue
		}
		hit := 0
		for _, t := range terms {
			if have[t] {
				hit++
			}
		}
		if hit > 0 {
			out = append(out, Match{Reply: c, Score: float64(hit) / float64(len(terms))})
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	if len(out) > k {
		out = out[:k]
	}
	return out, nil
}
