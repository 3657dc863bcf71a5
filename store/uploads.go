package store

import (
	"context"
	"time"

	"kefu"
)

// UploadRow is a stored file's record; Path is relative to the upload root.
type UploadRow struct {
	kefu.Attachment
	Path         string
	UploaderType string
	UploaderID   string
	CreatedAt    time.Time
}

// InsertUpload records a stored file.
func (q *Queries) InsertUpload(ctx context.Context, u UploadRow) error {
	_, err := q.exec(ctx, `INSERT INTO uploads (id, name, content_type, size, path, uploader_type, uploader_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Name, u.ContentType, u.Size, u.Path, u.UploaderType, u.UploaderID, millis(u.CreatedAt))
	return err
}

// Upload returns a file's record, or ENOTFOUND.
func (q *Queries) Upload(ctx context.Context, id string) (UploadRow, error) {
	var u UploadRow
	var created int64
	err := q.queryRow(ctx, `SELECT id, name, content_type, size, path, uploader_type, uploader_id, created_at FROM uploads WHERE id = ?`, id).
		Scan(&u.ID, &u.Name, &u.ContentType, &u.Size, &u.Path, &u.UploaderType, &u.UploaderID, &created)
	u.CreatedAt = fromMillis(created)
	return u, mapError(err)
}
