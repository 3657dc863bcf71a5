// Package upload stores the images and files customers and agents send, on
// local disk under one directory opened with os.Root (so no name can escape
// it) or in an S3-compatible object store, and hands out signed, expiring
// download links.
package upload

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"kefu"
	"kefu/store"
)

// MaxSize is the largest file accepted.
const MaxSize = 10 << 20

// allowed lists the content types accepted, by the type sniffed from the
// bytes, not the one the client claims.
var allowed = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"application/pdf": true, "text/plain; charset=utf-8": true, "application/zip": true,
	// Office documents are zip files; they sniff as application/zip.
}

// Service stores uploads.
type Service struct {
	DB    *store.DB
	Blobs Blobs  // where the contents go
	Key   []byte // signs download links
	Clock kefu.Clock
}

// Save stores a file from r and returns it as an attachment with a signed URL.
// Returns EINVALID (field "file") for a file too large or of a type not allowed.
func (s *Service) Save(ctx context.Context, r io.Reader, name, uploaderType, uploaderID string) (kefu.Attachment, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return kefu.Attachment{}, err
	}
	head = head[:n]
	if n == 0 {
		return kefu.Attachment{}, kefu.Invalid("file", "The file is empty.")
	}
	ctype := http.DetectContentType(head)
	if !allowed[ctype] {
		return kefu.Attachment{}, kefu.Invalid("file", "Files of type %s are not accepted; send an image, PDF, text or zip file.", ctype)
	}
	// Files are small (MaxSize), so the whole file is read first: its size
	// is then known, and nothing half-written is ever stored.
	data, err := io.ReadAll(io.LimitReader(io.MultiReader(bytes.NewReader(head), r), MaxSize+1))
	if err != nil {
		return kefu.Attachment{}, err
	}
	if len(data) > MaxSize {
		return kefu.Attachment{}, kefu.Invalid("file", "The file is larger than %d MB.", MaxSize>>20)
	}
	id := kefu.NewID()
	rel := path.Join(s.Clock.Now().Format("2006/01"), id)
	ctype = strings.Split(ctype, ";")[0]
	if err := s.Blobs.Put(ctx, rel, data, ctype); err != nil {
		return kefu.Attachment{}, err
	}
	size := int64(len(data))
	name = cleanName(name)
	a := kefu.Attachment{ID: id, Name: name, ContentType: ctype, Size: size}
	if err := s.DB.InsertUpload(ctx, store.UploadRow{Attachment: a, Path: rel, UploaderType: uploaderType,
		UploaderID: uploaderID, CreatedAt: s.Clock.Now()}); err != nil {
		_ = s.Blobs.Remove(ctx, rel)
		return kefu.Attachment{}, err
	}
	a.URL = s.URL(a.ID)
	return a, nil
}

func cleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		return "file"
	}
	if len(name) > 200 {
		name = name[len(name)-200:]
	}
	return name
}

// linkLife is how long a download link works; messages get fresh links each time they are read.
const linkLife = 7 * 24 * time.Hour

// URL returns a signed download link for an upload.
func (s *Service) URL(id string) string {
	exp := s.Clock.Now().Add(linkLife).Unix()
	return fmt.Sprintf("/files/%s?exp=%d&sig=%s", id, exp, s.sign(id, exp))
}

func (s *Service) sign(id string, exp int64) string {
	m := hmac.New(sha256.New, s.Key)
	fmt.Fprintf(m, "%s:%d", id, exp)
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// Resolve fills attachments by upload id, refreshing their links. Returns
// EINVALID (field "attachments") for an unknown id.
func (s *Service) Resolve(ctx context.Context, ids []string) ([]kefu.Attachment, error) {
	out := []kefu.Attachment{}
	for _, id := range ids {
		u, err := s.DB.Upload(ctx, id)
		if kefu.ErrorCode(err) == kefu.ENOTFOUND {
			return nil, kefu.Invalid("attachments", "There is no upload %q.", id)
		} else if err != nil {
			return nil, err
		}
		a := u.Attachment
		a.URL = s.URL(a.ID)
		out = append(out, a)
	}
	return out, nil
}

// Sign refreshes the links of attachments read from the database.
func (s *Service) Sign(atts []kefu.Attachment) {
	for i := range atts {
		atts[i].URL = s.URL(atts[i].ID)
	}
}

// ServeHTTP serves GET /files/{id} when the link's signature is valid and not expired.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	exp, _ := strconv.ParseInt(r.URL.Query().Get("exp"), 10, 64)
	if exp < s.Clock.Now().Unix() || !hmac.Equal([]byte(r.URL.Query().Get("sig")), []byte(s.sign(id, exp))) {
		http.Error(w, "This link is invalid or has expired.", http.StatusForbidden)
		return
	}
	u, err := s.DB.Upload(r.Context(), id)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	f, err := s.Blobs.Open(r.Context(), u.Path)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	disposition := "attachment"
	if strings.HasPrefix(u.ContentType, "image/") {
		disposition = "inline"
	}
	w.Header().Set("Content-Type", u.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": u.Name}))
	w.Header().Set("Cache-Control", "private, max-age=86400")
	http.ServeContent(w, r, "", u.CreatedAt, f)
}
