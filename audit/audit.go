// Package audit keeps kefu's append-only, hash-chained audit log: every
// entry stores the hash of the one before, so altering or removing a row
// breaks the chain at that row, and Verify finds it.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"kefu"
	"kefu/store"
)

// MinRetentionDays is the legal floor for keeping the log: network and access
// logs must be kept at least six months (网络安全法 Art. 21).
const MinRetentionDays = 183

// Log writes and reads the audit log.
type Log struct {
	DB    *store.DB
	Clock kefu.Clock
}

// Record appends an entry inside the caller's transaction, so the change and
// its audit entry commit together or not at all. Actor and IP are taken from
// the context's actor when the entry does not set them.
func (l *Log) Record(ctx context.Context, q *store.Queries, e kefu.AuditEntry) error {
	if a := kefu.ActorFrom(ctx); a != nil {
		if e.ActorID == "" {
			e.ActorID, e.ActorName = a.UserID, a.Name
		}
		if e.IP == "" {
			e.IP = a.IP
		}
	}
	if e.Detail == nil {
		e.Detail = map[string]any{}
	}
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return err
	}
	seq, prev, err := q.AdvanceAuditHead(ctx)
	if err != nil {
		return err
	}
	e.Seq, e.PrevHash, e.ID = seq, prev, kefu.NewID()
	e.At = l.Clock.Now().Truncate(time.Millisecond)
	e.Hash = Hash(e, string(detail))
	if err := q.InsertAudit(ctx, e); err != nil {
		return err
	}
	return q.SetAuditHeadHash(ctx, e.Hash)
}

// Append records an entry in a transaction of its own.
func (l *Log) Append(ctx context.Context, e kefu.AuditEntry) error {
	return l.DB.InTx(ctx, func(q *store.Queries) error { return l.Record(ctx, q, e) })
}

// Hash computes an entry's chain hash: SHA-256 over the previous hash and
// every field, each length-prefixed so that no two entries encode alike.
// detail is the JSON exactly as stored.
func Hash(e kefu.AuditEntry, detail string) string {
	h := sha256.New()
	for _, f := range []string{
		e.PrevHash, strconv.FormatInt(e.Seq, 10), e.ID, strconv.FormatInt(e.At.UnixMilli(), 10),
		e.ActorID, e.ActorName, e.Action, e.TargetType, e.TargetID, e.IP, detail,
	} {
		fmt.Fprintf(h, "%d:%s", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// List returns entries matching the filter, newest first.
// Requires the audit.read permission.
func (l *Log) List(ctx context.Context, f kefu.AuditFilter) (kefu.Page[kefu.AuditEntry], error) {
	if _, err := kefu.Require(ctx, kefu.PermAuditRead); err != nil {
		return kefu.Page[kefu.AuditEntry]{}, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	items, err := l.DB.AuditEntries(ctx, f)
	if err != nil {
		return kefu.Page[kefu.AuditEntry]{}, err
	}
	page := kefu.Page[kefu.AuditEntry]{Items: items}
	if len(items) == f.Limit {
		page.NextCursor = strconv.FormatInt(items[len(items)-1].Seq, 10)
	}
	if page.Items == nil {
		page.Items = []kefu.AuditEntry{}
	}
	return page, nil
}

// VerifyResult is the outcome of checking the chain.
type VerifyResult struct {
	OK        bool   `json:"ok"`
	Checked   int64  `json:"checked"`
	BrokenSeq int64  `json:"broken_seq,omitempty"` // the first entry that does not link
	Reason    string `json:"reason,omitempty"`
}

// Verify walks the chain from its anchor to its head and reports the first
// broken link: an entry whose stored hash does not match its contents (it was
// altered), whose prev_hash does not match the entry before (one was removed
// or inserted), or a chain that ends before the head (the newest were removed).
// Requires audit.read.
func (l *Log) Verify(ctx context.Context) (VerifyResult, error) {
	if _, err := kefu.Require(ctx, kefu.PermAuditRead); err != nil {
		return VerifyResult{}, err
	}
	head, err := l.DB.GetAuditHead(ctx)
	if err != nil {
		return VerifyResult{}, err
	}
	var res VerifyResult
	expectSeq, prev := head.AnchorSeq+1, head.AnchorHash
	after := head.AnchorSeq
	for {
		batch, err := l.DB.AuditChain(ctx, after, 1000)
		if err != nil {
			return res, err
		}
		for _, r := range batch {
			switch {
			case r.Seq != expectSeq:
				return broken(res, expectSeq, fmt.Sprintf("entry %d is missing", expectSeq)), nil
			case r.PrevHash != prev:
				return broken(res, r.Seq, "prev_hash does not match the hash of the entry before"), nil
			case Hash(r.AuditEntry, r.RawDetail) != r.Hash:
				return broken(res, r.Seq, "the entry's contents do not match its hash (altered)"), nil
			}
			res.Checked++
			expectSeq, prev, after = r.Seq+1, r.Hash, r.Seq
		}
		if len(batch) < 1000 {
			break
		}
	}
	if after != head.Seq || prev != head.Hash {
		return broken(res, after+1, fmt.Sprintf("the chain ends at %d but the head says %d", after, head.Seq)), nil
	}
	res.OK = true
	return res, nil
}

func broken(r VerifyResult, seq int64, reason string) VerifyResult {
	r.OK, r.BrokenSeq, r.Reason = false, seq, reason
	return r
}

// Prune deletes entries older than the retention period, which may not be
// shorter than MinRetentionDays. The chain stays verifiable from its new anchor.
func (l *Log) Prune(ctx context.Context, retentionDays int) (int64, error) {
	if retentionDays < MinRetentionDays {
		retentionDays = MinRetentionDays
	}
	before := l.Clock.Now().AddDate(0, 0, -retentionDays)
	var n int64
	err := l.DB.InTx(ctx, func(q *store.Queries) error {
		var err error
		n, err = q.PruneAudit(ctx, before)
		return err
	})
	return n, err
}
