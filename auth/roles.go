package auth

import (
	"context"
	"regexp"
	"slices"
	"time"

	"kefu"
	"kefu/store"
)

// EnsureBuiltinRoles creates the built-in roles or brings their permissions
// up to date, keeping an admin's require-2FA choice.
func (s *Service) EnsureBuiltinRoles(ctx context.Context) error {
	now := s.Clock.Now()
	for _, r := range kefu.BuiltinRoles() {
		if cur, err := s.DB.Role(ctx, r.Name); err == nil {
			r.Require2FA, r.Description = cur.Require2FA, cur.Description
		}
		if err := s.DB.PutRole(ctx, r, now); err != nil {
			return err
		}
	}
	return nil
}

// Roles lists the roles. Requires roles.manage or users.manage (the users
// page chooses a role for each user).
func (s *Service) Roles(ctx context.Context) ([]kefu.Role, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Can(kefu.PermRolesManage) && !a.Can(kefu.PermUsersManage) {
		return nil, kefu.Errorf(kefu.EFORBIDDEN, "You need the %q permission for this.", kefu.PermRolesManage)
	}
	return s.DB.Roles(ctx)
}

var roleName = regexp.MustCompile(`^[a-z][a-z0-9_-]{1,39}$`)

func validatePermissions(perms []kefu.Permission) error {
	for _, p := range perms {
		if !kefu.ValidPermission(p) {
			return kefu.Invalid("permissions", "There is no permission %q.", p)
		}
	}
	return nil
}

// CreateRole adds a custom role. Requires roles.manage.
func (s *Service) CreateRole(ctx context.Context, r kefu.Role) (kefu.Role, error) {
	if _, err := kefu.Require(ctx, kefu.PermRolesManage); err != nil {
		return kefu.Role{}, err
	}
	if !roleName.MatchString(r.Name) {
		return kefu.Role{}, kefu.Invalid("name", "Use 2 to 40 lower-case letters, digits, - or _, starting with a letter.")
	}
	if err := validatePermissions(r.Permissions); err != nil {
		return kefu.Role{}, err
	}
	r.Builtin = false
	r.Permissions = slices.Compact(slices.Sorted(slices.Values(r.Permissions)))
	if r.Permissions == nil {
		r.Permissions = []kefu.Permission{}
	}
	err := s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.InsertRole(ctx, r, s.Clock.Now()); err != nil {
			if kefu.ErrorCode(err) == kefu.ECONFLICT {
				return &kefu.Error{Code: kefu.ECONFLICT, Message: "A role with this name already exists.", Field: "name"}
			}
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditRoleCreate, TargetType: "role", TargetID: r.Name,
			Detail: map[string]any{"permissions": r.Permissions, "require_2fa": r.Require2FA}})
	})
	return r, err
}

// RolePatch changes some of a role's fields; nil fields stay.
type RolePatch struct {
	Description *string            `json:"description"`
	Permissions *[]kefu.Permission `json:"permissions"`
	Require2FA  *bool              `json:"require_2fa"`
}

// UpdateRole changes a role. Built-in roles only take the require-2FA switch
// and description. Requiring 2FA sends the role's users without it to the
// enrolment page on their next request. Requires roles.manage.
func (s *Service) UpdateRole(ctx context.Context, name string, p RolePatch) (kefu.Role, error) {
	if _, err := kefu.Require(ctx, kefu.PermRolesManage); err != nil {
		return kefu.Role{}, err
	}
	r, err := s.DB.Role(ctx, name)
	if err != nil {
		return kefu.Role{}, err
	}
	before := r
	if p.Description != nil {
		r.Description = *p.Description
	}
	if p.Permissions != nil {
		if r.Builtin {
			return kefu.Role{}, kefu.Invalid("permissions", "Built-in roles keep their permissions; create a custom role instead.")
		}
		if err := validatePermissions(*p.Permissions); err != nil {
			return kefu.Role{}, err
		}
		r.Permissions = slices.Compact(slices.Sorted(slices.Values(*p.Permissions)))
	}
	if p.Require2FA != nil {
		r.Require2FA = *p.Require2FA
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.PutRole(ctx, r, now); err != nil {
			return err
		}
		if r.Require2FA && !before.Require2FA {
			if err := s.restrictUnenrolled(ctx, q, r.Name); err != nil {
				return err
			}
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditRoleUpdate, TargetType: "role", TargetID: r.Name,
			Detail: map[string]any{"before": before, "after": r}})
	})
	return r, err
}

// restrictUnenrolled marks the live sessions of a role's users who have no
// 2FA so that they must enrol before doing anything else.
func (s *Service) restrictUnenrolled(ctx context.Context, q *store.Queries, role string) error {
	users, err := q.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Role == role && !u.TOTPEnabled {
			if err := q.SetSessionMustEnroll(ctx, u.ID, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeleteRole removes a custom role nobody holds. Requires roles.manage.
func (s *Service) DeleteRole(ctx context.Context, name string) error {
	if _, err := kefu.Require(ctx, kefu.PermRolesManage); err != nil {
		return err
	}
	r, err := s.DB.Role(ctx, name)
	if err != nil {
		return err
	}
	if r.Builtin {
		return kefu.Errorf(kefu.ECONFLICT, "Built-in roles cannot be deleted.")
	}
	n, err := s.DB.CountUsersWithRole(ctx, name)
	if err != nil {
		return err
	}
	if n > 0 {
		return kefu.Errorf(kefu.ECONFLICT, "%d users hold this role; give them another role first.", n)
	}
	return s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.DeleteRole(ctx, name); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditRoleDelete, TargetType: "role", TargetID: name})
	})
}

// CreateAPIToken makes an API token for the actor. The raw token is returned
// once; only its hash is kept.
func (s *Service) CreateAPIToken(ctx context.Context, name string) (string, kefu.APIToken, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return "", kefu.APIToken{}, err
	}
	return s.createToken(ctx, a.UserID, name)
}

// CreateAPITokenFor makes an API token for any user; for the CLI, which runs
// as the system actor.
func (s *Service) CreateAPITokenFor(ctx context.Context, email, name string) (string, kefu.APIToken, error) {
	if _, err := kefu.Require(ctx, kefu.PermUsersManage); err != nil {
		return "", kefu.APIToken{}, err
	}
	u, err := s.DB.UserByEmail(ctx, email)
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return "", kefu.APIToken{}, kefu.Invalid("email", "There is no user with email %q.", email)
	} else if err != nil {
		return "", kefu.APIToken{}, err
	}
	return s.createToken(ctx, u.ID, name)
}

func (s *Service) createToken(ctx context.Context, userID, name string) (string, kefu.APIToken, error) {
	if name == "" {
		name = "API token " + s.Clock.Now().Format(time.DateOnly)
	}
	if len(name) > 100 {
		return "", kefu.APIToken{}, kefu.Invalid("name", "Use at most 100 characters.")
	}
	raw := APITokenPrefix + randomToken(32)
	t := kefu.APIToken{ID: kefu.NewID(), UserID: userID, Name: name, Prefix: raw[:len(APITokenPrefix)+6],
		Hash: hashToken(raw), CreatedAt: s.Clock.Now()}
	err := s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.InsertAPIToken(ctx, t); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditTokenCreate, TargetType: "api_token", TargetID: t.ID,
			Detail: map[string]any{"user_id": userID, "name": name}})
	})
	return raw, t, err
}

// APITokens lists the actor's tokens.
func (s *Service) APITokens(ctx context.Context) ([]kefu.APIToken, error) {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	return s.DB.UserAPITokens(ctx, a.UserID)
}

// RevokeAPIToken revokes one of the actor's tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, id string) error {
	a, err := kefu.RequireActor(ctx)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.RevokeAPIToken(ctx, a.UserID, id, s.Clock.Now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, q, kefu.AuditEntry{Action: kefu.AuditTokenRevoke, TargetType: "api_token", TargetID: id})
	})
}
