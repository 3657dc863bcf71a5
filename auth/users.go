package auth

import (
	"context"
	"net/mail"
	"strings"
	"unicode/utf8"

	"kefu"
	"kefu/store"
)

// NewUser is the input for creating a user.
type NewUser struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// CreateUser adds a user. Requires users.manage. Returns EINVALID naming the
// field at fault, or ECONFLICT when the email is taken.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (kefu.User, error) {
	if _, err := kefu.Require(ctx, kefu.PermUsersManage); err != nil {
		return kefu.User{}, err
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return kefu.User{}, kefu.Invalid("email", "Enter a valid email address.")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return kefu.User{}, kefu.Invalid("name", "Enter a name of 1 to 100 characters.")
	}
	if _, err := s.DB.Role(ctx, in.Role); kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return kefu.User{}, kefu.Invalid("role", "There is no role %q.", in.Role)
	} else if err != nil {
		return kefu.User{}, err
	}
	if err := CheckPasswordStrength("password", in.Password); err != nil {
		return kefu.User{}, err
	}
	u := kefu.User{ID: kefu.NewID(), Email: email, Name: name, Role: in.Role,
		PasswordHash: HashPassword(in.Password, s.Argon2), CreatedAt: s.Clock.Now()}
	err := s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.InsertUser(ctx, u); err != nil {
			if kefu.ErrorCode(err) == kefu.ECONFLICT {
				return &kefu.Error{Code: kefu.ECONFLICT, Message: "A user with this email already exists.", Field: "email"}
			}
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditUserCreate, TargetType: "user", TargetID: u.ID,
			Detail: map[string]any{"email": u.Email, "role": u.Role}})
	})
	return u, err
}

// Users lists every user. Requires users.manage.
func (s *Service) Users(ctx context.Context) ([]kefu.User, error) {
	if _, err := kefu.Require(ctx, kefu.PermUsersManage); err != nil {
		return nil, err
	}
	return s.DB.Users(ctx)
}

// User returns one user. Requires users.manage.
func (s *Service) User(ctx context.Context, id string) (kefu.User, error) {
	if _, err := kefu.Require(ctx, kefu.PermUsersManage); err != nil {
		return kefu.User{}, err
	}
	return s.DB.User(ctx, id)
}

// UserPatch changes some of a user's fields; nil fields stay.
type UserPatch struct {
	Name     *string `json:"name"`
	Role     *string `json:"role"`
	Disabled *bool   `json:"disabled"`
}

// UpdateUser changes a user's name, role or disabled flag. Requires
// users.manage. Disabling a user ends their sessions. An admin cannot disable
// themselves or take away their own admin role (so a workspace keeps one).
func (s *Service) UpdateUser(ctx context.Context, id string, p UserPatch) (kefu.User, error) {
	a, err := kefu.Require(ctx, kefu.PermUsersManage)
	if err != nil {
		return kefu.User{}, err
	}
	u, err := s.DB.User(ctx, id)
	if err != nil {
		return kefu.User{}, err
	}
	before := map[string]any{"name": u.Name, "role": u.Role, "disabled": u.Disabled}
	if p.Name != nil {
		name := strings.TrimSpace(*p.Name)
		if name == "" || utf8.RuneCountInString(name) > 100 {
			return kefu.User{}, kefu.Invalid("name", "Enter a name of 1 to 100 characters.")
		}
		u.Name = name
	}
	if p.Role != nil {
		if _, err := s.DB.Role(ctx, *p.Role); kefu.ErrorCode(err) == kefu.ENOTFOUND {
			return kefu.User{}, kefu.Invalid("role", "There is no role %q.", *p.Role)
		} else if err != nil {
			return kefu.User{}, err
		}
		if u.ID == a.UserID && *p.Role != u.Role {
			return kefu.User{}, kefu.Invalid("role", "You cannot change your own role.")
		}
		u.Role = *p.Role
	}
	if p.Disabled != nil {
		if u.ID == a.UserID && *p.Disabled {
			return kefu.User{}, kefu.Invalid("disabled", "You cannot disable your own account.")
		}
		u.Disabled = *p.Disabled
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.UpdateUserProfile(ctx, u, now); err != nil {
			return err
		}
		if u.Disabled {
			if err := q.RevokeUserSessions(ctx, u.ID, now); err != nil {
				return err
			}
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditUserUpdate, TargetType: "user", TargetID: u.ID,
			Detail: map[string]any{"before": before, "after": map[string]any{"name": u.Name, "role": u.Role, "disabled": u.Disabled}}})
	})
	return u, err
}

// ResetPassword sets a new password for a user, clears a lockout and ends the
// user's sessions. Requires users.manage.
func (s *Service) ResetPassword(ctx context.Context, id, password string) error {
	if _, err := kefu.Require(ctx, kefu.PermUsersManage); err != nil {
		return err
	}
	if err := CheckPasswordStrength("password", password); err != nil {
		return err
	}
	u, err := s.DB.User(ctx, id)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.SetPassword(ctx, u.ID, HashPassword(password, s.Argon2), now); err != nil {
			return err
		}
		if err := q.RevokeUserSessions(ctx, u.ID, now); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditPasswordReset, TargetType: "user", TargetID: u.ID,
			Detail: map[string]any{"by": "admin"}})
	})
}
