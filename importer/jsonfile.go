package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"kefu"
)

var bom = []byte("\xef\xbb\xbf")

// eachObject calls fn with each JSON object of an export and the line it
// starts on. The file is JSON lines (one object per line; blank lines are
// skipped) or one JSON array of objects, pretty-printed or not. what names
// the objects in errors ("Zendesk ticket").
func eachObject(r io.Reader, what string, fn func(line int, raw []byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if isArray(br) {
		return eachInArray(br, what, fn)
	}
	line := 0
	for {
		b, err := br.ReadBytes('\n')
		if len(b) > 0 {
			line++
			if line == 1 {
				b = bytes.TrimPrefix(b, bom)
			}
			if b = bytes.TrimSpace(b); len(b) > 0 {
				if b[0] != '{' {
					return kefu.Invalid("file", "Line %d: a %s is a JSON object, one per line (or all in one JSON array).", line, what)
				}
				if err := fn(line, b); err != nil {
					return err
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// isArray says whether the file's first character, after a byte order mark
// and white space, opens a JSON array.
func isArray(br *bufio.Reader) bool {
	for n := 1; ; n++ {
		p, err := br.Peek(n)
		if err != nil {
			return false // empty, or a very long run of white space: JSON lines
		}
		switch c := p[n-1]; {
		case c == '[':
			return true
		case c == ' ', c == '\t', c == '\r', c == '\n', n <= 3 && bytes.HasPrefix(bom, p):
		default:
			return false
		}
	}
}

// eachInArray reads a file that is one JSON array of objects.
func eachInArray(r io.Reader, what string, fn func(line int, raw []byte) error) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if bytes.HasPrefix(data, bom) {
		copy(data, "   ") // keeps the offsets
	}
	// Offsets only grow, so lines are counted once.
	pos, line := 0, 1
	lineAt := func(off int64) int {
		if end := int(min(off, int64(len(data)))); end > pos {
			line += bytes.Count(data[pos:end], []byte("\n"))
			pos = end
		}
		return line
	}
	fail := func(dec *json.Decoder, err error) error {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			off, err = int64(len(data)), errors.New("the JSON array does not end")
		}
		return kefu.Invalid("file", "Line %d: %v", lineAt(off), err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // [
		return fail(dec, err)
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(dec, err)
		}
		at := lineAt(dec.InputOffset() - int64(len(raw)))
		if raw[0] != '{' {
			return kefu.Invalid("file", "Line %d: a %s is a JSON object, not %.20s.", at, what, raw)
		}
		if err := fn(at, raw); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ]
		return fail(dec, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return kefu.Invalid("file", "Line %d: the file goes on after its JSON array.", lineAt(dec.InputOffset()))
	}
	return nil
}

// sourceID is an id a source writes as a number or as a string.
type sourceID string

func (s *sourceID) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*s = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var v string
		err := json.Unmarshal(b, &v)
		*s = sourceID(strings.TrimSpace(v))
		return err
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("an id is a number or a string, not %.20s", b)
	}
	*s = sourceID(n.String())
	return nil
}

// sourceTime is a time a source writes as RFC 3339 text (Zendesk) or as Unix
// seconds (Chatwoot); numbers too large for seconds are taken as
// milliseconds, and 0 is no time.
type sourceTime struct{ time.Time }

func (t *sourceTime) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 MST", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
			if v, err := time.Parse(layout, s); err == nil {
				t.Time = v.UTC()
				return nil
			}
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return fmt.Errorf("%q is not a time (RFC 3339, or Unix seconds)", s)
		}
		b = []byte(s)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f < 0 {
		return fmt.Errorf("%.30s is not a time (RFC 3339, or Unix seconds)", b)
	}
	if f == 0 {
		return nil // Chatwoot writes a missing time as 0
	}
	if f > 1e11 { // milliseconds: 1e11 seconds is the year 5138
		f /= 1000
	}
	sec := int64(f)
	t.Time = time.Unix(sec, int64((f-float64(sec))*1e9)).UTC().Round(time.Millisecond)
	return nil
}

// attachmentText stands for a message that is only n attachments, named
// where the source names them.
func attachmentText(n int, names []string) string {
	if n == 0 {
		return ""
	}
	var named []string
	for _, name := range names {
		if name = strings.TrimSpace(name); name != "" {
			named = append(named, name)
		}
	}
	return strings.TrimSpace("[附件] " + strings.Join(named, ", "))
}

// readConversations reads an export's objects as conversations with
// conversation, keeping the last line of each id: exports repeat a
// conversation that changed (Zendesk's incremental export does), and the
// later line is the newer state.
func readConversations(r io.Reader, what string, conversation func(line int, raw []byte) (Conversation, error)) ([]Conversation, error) {
	var out []Conversation
	seen := map[string]int{}
	err := eachObject(r, what, func(line int, raw []byte) error {
		c, err := conversation(line, raw)
		if err != nil {
			return err
		}
		if i, ok := seen[c.ID]; ok && c.ID != "" {
			out[i] = c
			return nil
		}
		seen[c.ID] = len(out)
		out = append(out, c)
		return nil
	})
	return out, err
}

// jsonProblem says what is wrong with an object, in the source's field
// names rather than Go's.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		field := strings.ReplaceAll(te.Field, "zendeskTicket.", "") // embedded in zendeskLine
		return fmt.Sprintf("%s cannot be a JSON %s", field, te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
