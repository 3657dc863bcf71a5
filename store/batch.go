package store

import (
	"context"
	"fmt"
	"sync"
)

// Group commit. Many small write transactions arriving together (customer
// messages at a peak) are run as one database transaction, each inside a
// savepoint of its own: one fsync and one lock turn for the whole group,
// while each caller still gets its own success or error, and only after the
// group has committed.

// maxBatch bounds a group, so that one commit never holds the writer long.
const maxBatch = 64

type batchItem struct {
	ctx  context.Context
	fn   func(q *Queries) error
	done chan error
}

type batcher struct {
	db      *DB
	once    sync.Once
	pending chan batchItem
}

// Batch runs fn in a transaction shared with other callers of Batch at the
// same moment. fn's changes commit or roll back on their own (a savepoint),
// and Batch returns only after they are committed. fn must not call InTx or
// Batch.
func (db *DB) Batch(ctx context.Context, fn func(q *Queries) error) error {
	b := db.batch
	b.once.Do(func() {
		b.pending = make(chan batchItem, 4*maxBatch)
		go b.run()
	})
	item := batchItem{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case b.pending <- item:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-item.done
}

// run takes whatever is waiting (at least one item) and commits it as a group.
func (b *batcher) run() {
	for first := range b.pending {
		group := []batchItem{first}
	collect:
		for len(group) < maxBatch {
			select {
			case it := <-b.pending:
				group = append(group, it)
			default:
				break collect
			}
		}
		b.commit(group)
	}
}

func (b *batcher) commit(group []batchItem) {
	results := make([]error, len(group))
	err := b.db.InTx(context.Background(), func(q *Queries) error {
		for i, it := range group {
			if err := it.ctx.Err(); err != nil {
				results[i] = err
				continue
			}
			sp := fmt.Sprintf("kefu_item_%d", i)
			if _, err := q.tx.ExecContext(it.ctx, "SAVEPOINT "+sp); err != nil {
				return err
			}
			if err := it.fn(q); err != nil {
				results[i] = err
				if _, rerr := q.tx.ExecContext(context.Background(), "ROLLBACK TO SAVEPOINT "+sp); rerr != nil {
					return rerr
				}
			}
			if _, err := q.tx.ExecContext(context.Background(), "RELEASE SAVEPOINT "+sp); err != nil {
				return err
			}
		}
		return nil
	})
	for i, it := range group {
		if err != nil {
			it.done <- err // the group did not commit
		} else {
			it.done <- results[i]
		}
	}
}
