package auth

import (
	"context"
	"time"

	"kefu"
)

// touchEvery limits writes of a session's last-seen time to one a minute.
const touchEvery = time.Minute

// Authenticate resolves a session cookie to its actor. Returns EUNAUTHORIZED
// for an unknown, expired or revoked session, or a disabled user. A session
// whose role requires 2FA that the user has not set up yet gets an actor with
// no permissions: it can only reach its own profile to enrol.
func (s *Service) Authenticate(ctx context.Context, token, ip string) (*kefu.Actor, kefu.Session, error) {
	now := s.Clock.Now()
	sess, err := s.DB.SessionByTokenHash(ctx, hashToken(token), now)
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return nil, sess, kefu.Errorf(kefu.EUNAUTHORIZED, "Your session has ended. Sign in again.")
	} else if err != nil {
		return nil, sess, err
	}
	actor, err := s.actorFor(ctx, sess.UserID, ip)
	if err != nil {
		return nil, sess, err
	}
	actor.SessionID = sess.ID
	if sess.MustEnroll {
		actor.Permissions = nil
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		_ = s.DB.TouchSession(ctx, sess.ID, now)
	}
	return actor, sess, nil
}

// AuthenticateToken resolves an API token (Authorization: Bearer) to its actor.
func (s *Service) AuthenticateToken(ctx context.Context, token, ip string) (*kefu.Actor, error) {
	t, err := s.DB.APITokenByHash(ctx, hashToken(token))
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return nil, kefu.Errorf(kefu.EUNAUTHORIZED, "The API token is not valid or was revoked.")
	} else if err != nil {
		return nil, err
	}
	actor, err := s.actorFor(ctx, t.UserID, ip)
	if err != nil {
		return nil, err
	}
	actor.TokenID = t.ID
	now := s.Clock.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > touchEvery {
		_ = s.DB.TouchAPIToken(ctx, t.ID, now)
	}
	return actor, nil
}

func (s *Service) actorFor(ctx context.Context, userID, ip string) (*kefu.Actor, error) {
	u, err := s.DB.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, kefu.Errorf(kefu.EUNAUTHORIZED, "This account is disabled.")
	}
	role, err := s.DB.Role(ctx, u.Role)
	if err != nil {
		return nil, err
	}
	return &kefu.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Permissions: role.Permissions, IP: ip}, nil
}

// Logout ends the actor's current session.
func (s *Service) Logout(ctx context.Context) error {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return err
	}
	if a.SessionID == "" {
		return kefu.Errorf(kefu.EINVALID, "API tokens do not sign out; revoke the token instead.")
	}
	if err := s.DB.RevokeSession(ctx, a.UserID, a.SessionID, s.Clock.Now()); err != nil {
		return err
	}
	return s.Audit.Append(ctx, kefu.AuditEntry{Action: kefu.AuditLogout, TargetType: "session", TargetID: a.SessionID})
}

// Me returns the signed-in user.
func (s *Service) Me(ctx context.Context) (kefu.User, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return kefu.User{}, err
	}
	return s.DB.User(ctx, a.UserID)
}

// Session returns the actor's current session.
func (s *Service) Session(ctx context.Context) (kefu.Session, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return kefu.Session{}, err
	}
	sessions, err := s.DB.UserSessions(ctx, a.UserID, s.Clock.Now())
	if err != nil {
		return kefu.Session{}, err
	}
	for _, x := range sessions {
		if x.ID == a.SessionID {
			x.Current = true
			return x, nil
		}
	}
	return kefu.Session{}, kefu.Errorf(kefu.ENOTFOUND, "Session not found.")
}

// Sessions lists the actor's own live sessions, marking the current one.
func (s *Service) Sessions(ctx context.Context) ([]kefu.Session, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.DB.UserSessions(ctx, a.UserID, s.Clock.Now())
	for i := range list {
		list[i].Current = list[i].ID == a.SessionID
	}
	return list, err
}

// RevokeSession ends one of the actor's own sessions.
func (s *Service) RevokeSession(ctx context.Context, id string) error {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return err
	}
	if err := s.DB.RevokeSession(ctx, a.UserID, id, s.Clock.Now()); err != nil {
		return err
	}
	return s.Audit.Append(ctx, kefu.AuditEntry{Action: kefu.AuditSessionRevoke, TargetType: "session", TargetID: id})
}

// ChangePassword replaces the actor's password after checking the current one.
// Other sessions are ended; the current one stays.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	a, u, err := s.actorUser(ctx)
	if err != nil {
		return err
	}
	if !CheckPassword(u.PasswordHash, current) {
		return kefu.Invalid("current_password", "The current password is wrong.")
	}
	if err := CheckPasswordStrength("new_password", next); err != nil {
		return err
	}
	now := s.Clock.Now()
	if err := s.DB.SetPassword(ctx, u.ID, HashPassword(next, s.Argon2), now); err != nil {
		return err
	}
	sessions, err := s.DB.UserSessions(ctx, u.ID, now)
	if err != nil {
		return err
	}
	for _, x := range sessions {
		if x.ID != a.SessionID {
			_ = s.DB.RevokeSession(ctx, u.ID, x.ID, now)
		}
	}
	return s.Audit.Append(ctx, kefu.AuditEntry{Action: kefu.AuditPasswordReset, TargetType: "user", TargetID: u.ID,
		Detail: map[string]any{"by": "self"}})
}

// Notices lists the actor's recent notices.
func (s *Service) Notices(ctx context.Context) ([]kefu.Notice, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	return s.DB.UserNotices(ctx, a.UserID, 50)
}

// MarkNoticeRead marks one of the actor's notices read.
func (s *Service) MarkNoticeRead(ctx context.Context, id string) error {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return err
	}
	return s.DB.MarkNoticeRead(ctx, a.UserID, id, s.Clock.Now())
}

// actorUser returns the context's actor and their user record.
func (s *Service) actorUser(ctx context.Context) (*kefu.Actor, kefu.User, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return nil, kefu.User{}, err
	}
	u, err := s.DB.User(ctx, a.UserID)
	return a, u, err
}
