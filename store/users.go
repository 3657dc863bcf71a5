package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"kefu"
)

// PutRole inserts or replaces a role.
func (q *Queries) PutRole(ctx context.Context, r kefu.Role, now time.Time) error {
	perms, _ := json.Marshal(r.Permissions)
	_, err := q.exec(ctx, `INSERT INTO roles (name, description, permissions, builtin, require_2fa, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET description = excluded.description, permissions = excluded.permissions,
			builtin = excluded.builtin, require_2fa = excluded.require_2fa, updated_at = excluded.updated_at`,
		r.Name, r.Description, string(perms), boolInt(r.Builtin), boolInt(r.Require2FA), millis(now), millis(now))
	return err
}

// InsertRole adds a new role. Returns ECONFLICT if the name is taken.
func (q *Queries) InsertRole(ctx context.Context, r kefu.Role, now time.Time) error {
	perms, _ := json.Marshal(r.Permissions)
	_, err := q.exec(ctx, `INSERT INTO roles (name, description, permissions, builtin, require_2fa, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.Name, r.Description, string(perms), boolInt(r.Builtin), boolInt(r.Require2FA), millis(now), millis(now))
	return err
}

// Role returns a role by name, or ENOTFOUND.
func (q *Queries) Role(ctx context.Context, name string) (kefu.Role, error) {
	rows, err := q.query(ctx, `SELECT name, description, permissions, builtin, require_2fa FROM roles WHERE name = ?`, name)
	if err != nil {
		return kefu.Role{}, err
	}
	roles, err := scanRoles(rows)
	if err != nil {
		return kefu.Role{}, err
	} else if len(roles) == 0 {
		return kefu.Role{}, kefu.Errorf(kefu.ENOTFOUND, "Role %q not found.", name)
	}
	return roles[0], nil
}

// Roles lists every role, built-in ones first.
func (q *Queries) Roles(ctx context.Context) ([]kefu.Role, error) {
	rows, err := q.query(ctx, `SELECT name, description, permissions, builtin, require_2fa FROM roles ORDER BY builtin DESC, name`)
	if err != nil {
		return nil, err
	}
	return scanRoles(rows)
}

func scanRoles(rows *sql.Rows) ([]kefu.Role, error) {
	defer rows.Close()
	var out []kefu.Role
	for rows.Next() {
		var r kefu.Role
		var perms string
		var builtin, req int
		if err := rows.Scan(&r.Name, &r.Description, &perms, &builtin, &req); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(perms), &r.Permissions); err != nil {
			return nil, err
		}
		r.Builtin, r.Require2FA = builtin == 1, req == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteRole removes a role.
func (q *Queries) DeleteRole(ctx context.Context, name string) error {
	_, err := q.exec(ctx, `DELETE FROM roles WHERE name = ?`, name)
	return err
}

// CountUsersWithRole counts the users holding a role.
func (q *Queries) CountUsersWithRole(ctx context.Context, role string) (int, error) {
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = ?`, role).Scan(&n)
	return n, mapError(err)
}

const userColumns = `id, email, name, role, password_hash, disabled, totp_secret, totp_enabled, totp_last_step,
	failed_logins, locked_until, created_at, last_login_at`

func scanUser(s interface{ Scan(...any) error }) (kefu.User, error) {
	var u kefu.User
	var disabled, totp int
	var locked, lastLogin sql.NullInt64
	var created int64
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &disabled, &u.TOTPSecret, &totp,
		&u.TOTPLastStep, &u.FailedLogins, &locked, &created, &lastLogin)
	if err != nil {
		return u, mapError(err)
	}
	u.Disabled, u.TOTPEnabled = disabled == 1, totp == 1
	u.LockedUntil, u.LastLoginAt = fromNullMillis(locked), fromNullMillis(lastLogin)
	u.CreatedAt = fromMillis(created)
	return u, nil
}

// InsertUser adds a user. Returns ECONFLICT if the email is taken.
func (q *Queries) InsertUser(ctx context.Context, u kefu.User) error {
	_, err := q.exec(ctx, `INSERT INTO users (id, email, name, role, password_hash, disabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, strings.ToLower(u.Email), u.Name, u.Role, u.PasswordHash, boolInt(u.Disabled), millis(u.CreatedAt), millis(u.CreatedAt))
	return err
}

// User returns a user by id, or ENOTFOUND.
func (q *Queries) User(ctx context.Context, id string) (kefu.User, error) {
	return scanUser(q.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// UserByEmail returns a user by email (case-insensitive), or ENOTFOUND.
func (q *Queries) UserByEmail(ctx context.Context, email string) (kefu.User, error) {
	return scanUser(q.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, strings.ToLower(strings.TrimSpace(email))))
}

// Users lists users by name.
func (q *Queries) Users(ctx context.Context) ([]kefu.User, error) {
	rows, err := q.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UsersWithPermission lists enabled users whose role holds p (for notices to admins).
func (q *Queries) UsersWithPermission(ctx context.Context, p kefu.Permission) ([]kefu.User, error) {
	users, err := q.Users(ctx)
	if err != nil {
		return nil, err
	}
	roles, err := q.Roles(ctx)
	if err != nil {
		return nil, err
	}
	allowed := map[string]bool{}
	for _, r := range roles {
		for _, rp := range r.Permissions {
			if rp == p {
				allowed[r.Name] = true
			}
		}
	}
	var out []kefu.User
	for _, u := range users {
		if allowed[u.Role] && !u.Disabled {
			out = append(out, u)
		}
	}
	return out, nil
}

// UpdateUserProfile changes a user's name, role and disabled flag.
func (q *Queries) UpdateUserProfile(ctx context.Context, u kefu.User, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE users SET name = ?, role = ?, disabled = ?, updated_at = ? WHERE id = ?`,
		u.Name, u.Role, boolInt(u.Disabled), millis(now), u.ID)
	return err
}

// SetPassword replaces a user's password hash and clears any lockout.
func (q *Queries) SetPassword(ctx context.Context, userID, hash string, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?`,
		hash, millis(now), userID)
	return err
}

// RecordLoginFailure counts a failed login and locks the account until
// lockUntil once failures reach max. Returns the new failure count.
func (q *Queries) RecordLoginFailure(ctx context.Context, userID string, max int, lockUntil time.Time) (int, error) {
	var n int
	err := q.queryRow(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins`, userID).Scan(&n)
	if err != nil {
		return 0, mapError(err)
	}
	if n >= max {
		_, err = q.exec(ctx, `UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ?`, millis(lockUntil), userID)
	}
	return n, err
}

// RecordLoginSuccess clears failures and stamps the login time.
func (q *Queries) RecordLoginSuccess(ctx context.Context, userID string, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?`, millis(now), userID)
	return err
}

// SetTOTP stores the (encrypted) TOTP secret and whether it is enabled.
func (q *Queries) SetTOTP(ctx context.Context, userID, secret string, enabled bool, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE users SET totp_secret = ?, totp_enabled = ?, totp_last_step = 0, updated_at = ? WHERE id = ?`,
		secret, boolInt(enabled), millis(now), userID)
	return err
}

// AdvanceTOTPStep records step as the last accepted TOTP time step, only if
// it is newer than the one stored. Returns false when the code was already
// used (a replay), so two simultaneous logins cannot both use one code.
func (q *Queries) AdvanceTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res, err := q.exec(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReplaceRecoveryCodes stores fresh recovery code hashes for a user.
func (q *Queries) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	if _, err := q.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := q.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
			return err
		}
	}
	return nil
}

// UseRecoveryCode marks an unused recovery code as used. Returns false if
// there is no such unused code.
func (q *Queries) UseRecoveryCode(ctx context.Context, userID, hash string, now time.Time) (bool, error) {
	res, err := q.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		millis(now), userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CountUsers counts all users.
func (q *Queries) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, mapError(err)
}
