package store

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"kefu"
)

// AuditHead is the end of the audit chain and where it starts after pruning.
type AuditHead struct {
	Seq        int64
	Hash       string
	AnchorSeq  int64  // entries up to this seq were pruned
	AnchorHash string // hash of the last pruned entry: the first kept entry's prev_hash
}

// AdvanceAuditHead reserves the next sequence number and returns it with the
// previous entry's hash. Updating the single head row first makes concurrent
// writers queue behind each other (row lock on PostgreSQL, write lock on
// SQLite), so the chain never forks. Call it inside a transaction.
func (q *Queries) AdvanceAuditHead(ctx context.Context) (seq int64, prevHash string, err error) {
	err = q.queryRow(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&seq, &prevHash)
	return seq, prevHash, mapError(err)
}

// SetAuditHeadHash records the hash of the entry just appended.
func (q *Queries) SetAuditHeadHash(ctx context.Context, hash string) error {
	_, err := q.exec(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, hash)
	return err
}

// GetAuditHead returns the head row.
func (q *Queries) GetAuditHead(ctx context.Context) (AuditHead, error) {
	var h AuditHead
	err := q.queryRow(ctx, `SELECT seq, hash, anchor_seq, anchor_hash FROM audit_head WHERE id = 1`).
		Scan(&h.Seq, &h.Hash, &h.AnchorSeq, &h.AnchorHash)
	return h, mapError(err)
}

// InsertAudit appends an entry whose Seq, PrevHash and Hash are already set.
func (q *Queries) InsertAudit(ctx context.Context, e kefu.AuditEntry) error {
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return err
	}
	_, err = q.exec(ctx, `INSERT INTO audit_log (seq, id, at, actor_id, actor_name, action, target_type, target_id, ip, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.ID, millis(e.At), e.ActorID, e.ActorName, e.Action, e.TargetType, e.TargetID, e.IP, string(detail), e.PrevHash, e.Hash)
	return err
}

const auditColumns = `seq, id, at, actor_id, actor_name, action, target_type, target_id, ip, detail, prev_hash, hash`

func scanAudit(s interface{ Scan(...any) error }) (kefu.AuditEntry, string, error) {
	var e kefu.AuditEntry
	var at int64
	var detail string
	err := s.Scan(&e.Seq, &e.ID, &at, &e.ActorID, &e.ActorName, &e.Action, &e.TargetType, &e.TargetID, &e.IP, &detail, &e.PrevHash, &e.Hash)
	if err != nil {
		return e, "", err
	}
	e.At = fromMillis(at)
	_ = json.Unmarshal([]byte(detail), &e.Detail)
	return e, detail, nil
}

// AuditEntries lists entries matching the filter, newest first. The cursor is
// the seq of the last entry of the previous page.
func (q *Queries) AuditEntries(ctx context.Context, f kefu.AuditFilter) ([]kefu.AuditEntry, error) {
	where, args := "1 = 1", []any{}
	add := func(cond string, v any) { where += " AND " + cond; args = append(args, v) }
	if f.ActorID != "" {
		add("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.TargetType != "" {
		add("target_type = ?", f.TargetType)
	}
	if f.TargetID != "" {
		add("target_id = ?", f.TargetID)
	}
	if !f.Since.IsZero() {
		add("at >= ?", millis(f.Since))
	}
	if !f.Until.IsZero() {
		add("at < ?", millis(f.Until))
	}
	if f.Cursor != "" {
		seq, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil {
			return nil, kefu.Invalid("cursor", "The cursor is not valid.")
		}
		add("seq < ?", seq)
	}
	args = append(args, f.Limit)
	rows, err := q.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+where+` ORDER BY seq DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kefu.AuditEntry
	for rows.Next() {
		e, _, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditRecord is an entry with its detail exactly as stored, so that the
// verifier hashes the stored bytes rather than a re-encoding.
type AuditRecord struct {
	kefu.AuditEntry
	RawDetail string
}

// AuditChain returns up to limit entries with seq > after, oldest first.
func (q *Queries) AuditChain(ctx context.Context, after int64, limit int) ([]AuditRecord, error) {
	rows, err := q.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditRecord
	for rows.Next() {
		e, raw, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, AuditRecord{e, raw})
	}
	return out, rows.Err()
}

// CountAudit counts entries for an actor and action since a time (for rate limits).
func (q *Queries) CountAudit(ctx context.Context, actorID, action string, since time.Time) (int, error) {
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE actor_id = ? AND action = ? AND at >= ?`,
		actorID, action, millis(since)).Scan(&n)
	return n, mapError(err)
}

// PruneAudit deletes entries older than before and moves the chain's anchor
// to the last deleted entry, so the remaining chain still verifies. Call it
// inside a transaction. Returns the number deleted.
func (q *Queries) PruneAudit(ctx context.Context, before time.Time) (int64, error) {
	var last int64
	var lastHash string
	err := q.queryRow(ctx, `SELECT seq, hash FROM audit_log WHERE at < ? ORDER BY seq DESC LIMIT 1`, millis(before)).Scan(&last, &lastHash)
	if err != nil {
		if kefu.ErrorCode(mapError(err)) == kefu.ENOTFOUND {
			return 0, nil
		}
		return 0, err
	}
	res, err := q.exec(ctx, `DELETE FROM audit_log WHERE seq <= ?`, last)
	if err != nil {
		return 0, err
	}
	if _, err := q.exec(ctx, `UPDATE audit_head SET anchor_seq = ?, anchor_hash = ? WHERE id = 1`, last, lastHash); err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
