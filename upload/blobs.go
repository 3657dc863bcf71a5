package upload

import (
	"bytes"
	"context"
	"io"
	"os"
	"path"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Blobs keeps file contents by key: on local disk by default, or in an
// S3-compatible object store (MinIO, AWS S3, Aliyun OSS, Tencent COS …).
type Blobs interface {
	Put(ctx context.Context, key string, data []byte, contentType string) error
	Open(ctx context.Context, key string) (io.ReadSeekCloser, error)
	Remove(ctx context.Context, key string) error
}

// Disk keeps blobs in a directory opened with os.Root, so that no key can
// name a file outside it.
type Disk struct{ Root *os.Root }

// OpenDisk opens (creating) a directory for blobs.
func OpenDisk(dir string) (*Disk, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Disk{Root: root}, nil
}

// Put writes and syncs a file.
func (d *Disk) Put(ctx context.Context, key string, data []byte, contentType string) error {
	if err := d.Root.MkdirAll(path.Dir(key), 0o700); err != nil {
		return err
	}
	f, err := d.Root.OpenFile(key, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = d.Root.Remove(key)
	}
	return err
}

// Open opens a file for reading.
func (d *Disk) Open(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	return d.Root.Open(key)
}

// Remove deletes a file.
func (d *Disk) Remove(ctx context.Context, key string) error { return d.Root.Remove(key) }

// S3Config says where an S3-compatible store is.
type S3Config struct {
	Endpoint  string // host:port, such as s3.amazonaws.com or oss-cn-hangzhou.aliyuncs.com
	Bucket    string
	AccessKey string
	SecretKey string
	Region    string
	Insecure  bool // plain HTTP, for a store on the local network
}

// S3 keeps blobs in a bucket.
type S3 struct {
	client *minio.Client
	bucket string
}

// OpenS3 connects to the store and checks that the bucket exists.
func OpenS3(ctx context.Context, c S3Config) (*S3, error) {
	client, err := minio.New(c.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure: !c.Insecure,
		Region: c.Region,
	})
	if err != nil {
		return nil, err
	}
	ok, err := client.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &os.PathError{Op: "open bucket", Path: c.Bucket, Err: os.ErrNotExist}
	}
	return &S3{client: client, bucket: c.Bucket}, nil
}

// Put uploads an object.
func (s *S3) Put(ctx context.Context, key string, data []byte, contentType string) error {
	_, err := s.client.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: contentType})
	return err
}

// Open reads an object; the result seeks with ranged requests.
func (s *S3) Open(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		return nil, err
	}
	return obj, nil
}

// Remove deletes an object.
func (s *S3) Remove(ctx context.Context, key string) error {
	return s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
}
