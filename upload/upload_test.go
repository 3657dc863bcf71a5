package upload_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"kefu"
	"kefu/store"
	"kefu/store/storetest"
	"kefu/upload"
)

var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// roundTrip stores a file and reads it back through a signed link.
func roundTrip(t *testing.T, blobs upload.Blobs) {
	db := storetest.Open(t, store.SQLite)
	clock := &kefu.FixedClock{T: time.Now()}
	s := &upload.Service{DB: db, Blobs: blobs, Key: []byte("k"), Clock: clock}
	ctx := context.Background()
	if _, err := s.Save(ctx, strings.NewReader("MZ\x90\x00 an executable"), "a.exe", "customer", "c1"); kefu.ErrorField(err) != "file" {
		t.Fatalf("executable: %v", err)
	}
	big := append(append([]byte{}, png...), make([]byte, upload.MaxSize)...)
	if _, err := s.Save(ctx, bytes.NewReader(big), "big.png", "customer", "c1"); kefu.ErrorField(err) != "file" {
		t.Fatalf("over 10 MB: %v", err)
	}
	a, err := s.Save(ctx, bytes.NewReader(png), "../../etc/照片.png", "customer", "c1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "照片.png" || a.ContentType != "image/png" || a.Size != int64(len(png)) {
		t.Fatalf("attachment %+v", a)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /files/{id}", s)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	resp, err := http.Get(srv.URL + a.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(body, png) {
		t.Fatalf("download: %d, %d bytes", resp.StatusCode, len(body))
	}
	clock.Advance(8 * 24 * time.Hour)
	if resp, _ := http.Get(srv.URL + a.URL); resp.StatusCode != 403 {
		t.Fatalf("expired link: %d", resp.StatusCode)
	}
}

func TestDisk(t *testing.T) {
	d, err := upload.OpenDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, d)
}

// TestS3 uses a local server that speaks the S3 protocol.
func TestS3(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("kefu-uploads"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	defer srv.Close()
	ctx := context.Background()
	cfg := upload.S3Config{Endpoint: strings.TrimPrefix(srv.URL, "http://"), Bucket: "kefu-uploads",
		AccessKey: "key", SecretKey: "secret", Region: "us-east-1", Insecure: true}
	if _, err := upload.OpenS3(ctx, upload.S3Config{Endpoint: cfg.Endpoint, Bucket: "missing", AccessKey: "k", SecretKey: "s", Insecure: true}); err == nil {
		t.Fatal("a missing bucket was accepted")
	}
	s3, err := upload.OpenS3(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, s3)
}
