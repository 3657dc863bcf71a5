// Package config loads kefu's configuration: defaults, then an optional YAML
// file, then KEFU_* environment variables; command-line flags override last.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Config is kefu's process configuration. Workspace settings that admins
// change at run time live in the database instead (kefu.Settings).
type Config struct {
	Addr          string `yaml:"addr"`            // KEFU_ADDR: listen address
	DataDir       string `yaml:"data_dir"`        // KEFU_DATA_DIR: SQLite database, master key, uploads, backups
	DatabaseURL   string `yaml:"database_url"`    // KEFU_DATABASE_URL: postgres://… to use PostgreSQL
	MasterKey     string `yaml:"master_key"`      // KEFU_MASTER_KEY: base64 of 32 bytes; else the key file
	MasterKeyFile string `yaml:"master_key_file"` // KEFU_MASTER_KEY_FILE: default DATA_DIR/master.key
	LogLevel      string `yaml:"log_level"`       // KEFU_LOG_LEVEL: debug, info, warn, error
	LogFormat     string `yaml:"log_format"`      // KEFU_LOG_FORMAT: json or text
	TLSCert       string `yaml:"tls_cert"`        // KEFU_TLS_CERT: serve HTTPS with this certificate
	TLSKey        string `yaml:"tls_key"`         // KEFU_TLS_KEY: and this key
	TrustProxy    bool   `yaml:"trust_proxy"`     // KEFU_TRUST_PROXY: take the client address from X-Forwarded-For
	BackupDir     string `yaml:"backup_dir"`      // KEFU_BACKUP_DIR: daily backups; default DATA_DIR/backups
	S3Endpoint    string `yaml:"s3_endpoint"`     // KEFU_S3_ENDPOINT: keep uploads in this S3-compatible store (host:port)
	S3Bucket      string `yaml:"s3_bucket"`       // KEFU_S3_BUCKET
	S3AccessKey   string `yaml:"s3_access_key"`   // KEFU_S3_ACCESS_KEY
	S3SecretKey   string `yaml:"s3_secret_key"`   // KEFU_S3_SECRET_KEY
	S3Region      string `yaml:"s3_region"`       // KEFU_S3_REGION
	S3Insecure    bool   `yaml:"s3_insecure"`     // KEFU_S3_INSECURE: plain HTTP to the store
}

// Default returns the defaults.
func Default() Config {
	return Config{Addr: "127.0.0.1:8080", DataDir: "./data", LogLevel: "info", LogFormat: "json"}
}

// Vars lists every environment variable with its field, for the loader and the README.
var Vars = []struct {
	Name  string
	Field func(*Config) any
}{
	{"KEFU_ADDR", func(c *Config) any { return &c.Addr }},
	{"KEFU_DATA_DIR", func(c *Config) any { return &c.DataDir }},
	{"KEFU_DATABASE_URL", func(c *Config) any { return &c.DatabaseURL }},
	{"KEFU_MASTER_KEY", func(c *Config) any { return &c.MasterKey }},
	{"KEFU_MASTER_KEY_FILE", func(c *Config) any { return &c.MasterKeyFile }},
	{"KEFU_LOG_LEVEL", func(c *Config) any { return &c.LogLevel }},
	{"KEFU_LOG_FORMAT", func(c *Config) any { return &c.LogFormat }},
	{"KEFU_TLS_CERT", func(c *Config) any { return &c.TLSCert }},
	{"KEFU_TLS_KEY", func(c *Config) any { return &c.TLSKey }},
	{"KEFU_TRUST_PROXY", func(c *Config) any { return &c.TrustProxy }},
	{"KEFU_BACKUP_DIR", func(c *Config) any { return &c.BackupDir }},
	{"KEFU_S3_ENDPOINT", func(c *Config) any { return &c.S3Endpoint }},
	{"KEFU_S3_BUCKET", func(c *Config) any { return &c.S3Bucket }},
	{"KEFU_S3_ACCESS_KEY", func(c *Config) any { return &c.S3AccessKey }},
	{"KEFU_S3_SECRET_KEY", func(c *Config) any { return &c.S3SecretKey }},
	{"KEFU_S3_REGION", func(c *Config) any { return &c.S3Region }},
	{"KEFU_S3_INSECURE", func(c *Config) any { return &c.S3Insecure }},
}

// Load reads the file named by KEFU_CONFIG (if set) and the environment.
func Load(getenv func(string) string) (Config, error) {
	c := Default()
	if path := getenv("KEFU_CONFIG"); path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("read KEFU_CONFIG file: %w", err)
		}
		if err := yaml.Unmarshal(raw, &c); err != nil {
			return c, fmt.Errorf("parse KEFU_CONFIG file %s: %w", path, err)
		}
	}
	for _, v := range Vars {
		val := getenv(v.Name)
		if val == "" {
			continue
		}
		switch p := v.Field(&c).(type) {
		case *string:
			*p = val
		case *bool:
			b, err := strconv.ParseBool(val)
			if err != nil {
				return c, fmt.Errorf("%s must be true or false, got %q", v.Name, val)
			}
			*p = b
		}
	}
	return c, nil
}

// KeyFile is where the master key file lives.
func (c Config) KeyFile() string {
	if c.MasterKeyFile != "" {
		return c.MasterKeyFile
	}
	return filepath.Join(c.DataDir, "master.key")
}

// Backups is the directory for daily backups.
func (c Config) Backups() string {
	if c.BackupDir != "" {
		return c.BackupDir
	}
	return filepath.Join(c.DataDir, "backups")
}
