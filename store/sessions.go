package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"kefu"
)

const sessionColumns = `id, user_id, token_hash, csrf_token, ip, user_agent, device_id, anomaly, must_enroll,
	created_at, last_seen_at, expires_at, revoked_at`

func scanSession(s interface{ Scan(...any) error }) (kefu.Session, error) {
	var x kefu.Session
	var must int
	var created, seen, expires int64
	var revoked sql.NullInt64
	err := s.Scan(&x.ID, &x.UserID, &x.TokenHash, &x.CSRFToken, &x.IP, &x.UserAgent, &x.DeviceID, &x.Anomaly, &must,
		&created, &seen, &expires, &revoked)
	if err != nil {
		return x, mapError(err)
	}
	x.MustEnroll = must == 1
	x.CreatedAt, x.LastSeenAt, x.ExpiresAt = fromMillis(created), fromMillis(seen), fromMillis(expires)
	x.RevokedAt = fromNullMillis(revoked)
	return x, nil
}

// InsertSession stores a new session.
func (q *Queries) InsertSession(ctx context.Context, s kefu.Session) error {
	_, err := q.exec(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.UserID, s.TokenHash, s.CSRFToken, s.IP, s.UserAgent, s.DeviceID, s.Anomaly, boolInt(s.MustEnroll),
		millis(s.CreatedAt), millis(s.LastSeenAt), millis(s.ExpiresAt), nullMillis(s.RevokedAt))
	return err
}

// SessionByTokenHash returns a live session by its token hash, or ENOTFOUND.
func (q *Queries) SessionByTokenHash(ctx context.Context, hash []byte, now time.Time) (kefu.Session, error) {
	return scanSession(q.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`, hash, millis(now)))
}

// TouchSession records activity on a session.
func (q *Queries) TouchSession(ctx context.Context, id string, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, millis(now), id)
	return err
}

// SetSessionMustEnroll sets or clears the 2FA-enrolment restriction.
func (q *Queries) SetSessionMustEnroll(ctx context.Context, userID string, must bool) error {
	_, err := q.exec(ctx, `UPDATE sessions SET must_enroll = ? WHERE user_id = ?`, boolInt(must), userID)
	return err
}

// UserSessions lists a user's live sessions, newest first.
func (q *Queries) UserSessions(ctx context.Context, userID string, now time.Time) ([]kefu.Session, error) {
	rows, err := q.query(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC`, userID, millis(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// RevokeSession ends one session of a user. Returns ENOTFOUND if the user has no such live session.
func (q *Queries) RevokeSession(ctx context.Context, userID, id string, now time.Time) error {
	res, err := q.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`,
		millis(now), id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return kefu.Errorf(kefu.ENOTFOUND, "Session not found.")
	}
	return nil
}

// RevokeUserSessions ends every session of a user (password reset, disable).
func (q *Queries) RevokeUserSessions(ctx context.Context, userID string, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, millis(now), userID)
	return err
}

// InsertAPIToken stores a new API token.
func (q *Queries) InsertAPIToken(ctx context.Context, t kefu.APIToken) error {
	_, err := q.exec(ctx, `INSERT INTO api_tokens (id, user_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, t.UserID, t.Name, t.Prefix, t.Hash, millis(t.CreatedAt))
	return err
}

const tokenColumns = `id, user_id, name, prefix, token_hash, created_at, last_used_at, revoked_at`

func scanToken(s interface{ Scan(...any) error }) (kefu.APIToken, error) {
	var t kefu.APIToken
	var created int64
	var used, revoked sql.NullInt64
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.Hash, &created, &used, &revoked); err != nil {
		return t, mapError(err)
	}
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = fromMillis(created), fromNullMillis(used), fromNullMillis(revoked)
	return t, nil
}

// APITokenByHash returns an unrevoked token by hash, or ENOTFOUND.
func (q *Queries) APITokenByHash(ctx context.Context, hash []byte) (kefu.APIToken, error) {
	return scanToken(q.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`, hash))
}

// UserAPITokens lists a user's tokens, newest first.
func (q *Queries) UserAPITokens(ctx context.Context, userID string) ([]kefu.APIToken, error) {
	rows, err := q.query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TouchAPIToken stamps a token's last use.
func (q *Queries) TouchAPIToken(ctx context.Context, id string, now time.Time) error {
	_, err := q.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, millis(now), id)
	return err
}

// RevokeAPIToken revokes a user's token. Returns ENOTFOUND if there is no such live token.
func (q *Queries) RevokeAPIToken(ctx context.Context, userID, id string, now time.Time) error {
	res, err := q.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`,
		millis(now), id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return kefu.Errorf(kefu.ENOTFOUND, "API token not found.")
	}
	return nil
}

// HasLoginPlace reports whether the user has signed in from this place before
// (kind "device" or "network"; value is already hashed).
func (q *Queries) HasLoginPlace(ctx context.Context, userID, kind, valueHash string) (bool, error) {
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM login_places WHERE user_id = ? AND kind = ? AND value_hash = ?`,
		userID, kind, valueHash).Scan(&n)
	return n > 0, mapError(err)
}

// CountLoginPlaces counts the places of a kind a user has signed in from.
func (q *Queries) CountLoginPlaces(ctx context.Context, userID, kind string) (int, error) {
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM login_places WHERE user_id = ? AND kind = ?`, userID, kind).Scan(&n)
	return n, mapError(err)
}

// RememberLoginPlace records (or refreshes) a place a user signed in from.
func (q *Queries) RememberLoginPlace(ctx context.Context, userID, kind, valueHash string, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO login_places (user_id, kind, value_hash, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id, kind, value_hash) DO UPDATE SET last_seen = excluded.last_seen`,
		userID, kind, valueHash, millis(now), millis(now))
	return err
}

// InsertNotice stores a notice for a user.
func (q *Queries) InsertNotice(ctx context.Context, n kefu.Notice) error {
	data, _ := json.Marshal(n.Data)
	_, err := q.exec(ctx, `INSERT INTO notices (id, user_id, kind, data, created_at) VALUES (?, ?, ?, ?, ?)`,
		n.ID, n.UserID, n.Kind, string(data), millis(n.CreatedAt))
	return err
}

// UserNotices lists a user's most recent notices, newest first.
func (q *Queries) UserNotices(ctx context.Context, userID string, limit int) ([]kefu.Notice, error) {
	rows, err := q.query(ctx, `SELECT id, user_id, kind, data, created_at, read_at FROM notices
		WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.Notice
	for rows.Next() {
		var n kefu.Notice
		var data string
		var created int64
		var read sql.NullInt64
		if err := rows.Scan(&n.ID, &n.UserID, &n.Kind, &data, &created, &read); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(data), &n.Data)
		n.CreatedAt, n.ReadAt = fromMillis(created), fromNullMillis(read)
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkNoticeRead marks a user's notice read. Returns ENOTFOUND if the user has no such notice.
func (q *Queries) MarkNoticeRead(ctx context.Context, userID, id string, now time.Time) error {
	res, err := q.exec(ctx, `UPDATE notices SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL`, millis(now), id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return kefu.Errorf(kefu.ENOTFOUND, "Notice not found.")
	}
	return nil
}
