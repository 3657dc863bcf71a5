package eval

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// IntentItem is one labelled request from an evaluation or training file.
type IntentItem struct {
	Text     string   // the request (JDDC "request", shipped "text", Bitext "instruction")
	Intent   string   // gold intent
	Angry    bool     // gold anger, meaningful only when HasAngry
	HasAngry bool     // the file labels anger
	Messages []string // all customer messages, for anger; nil means just Text
}

// open opens path, transparently gunzipping names ending in ".gz".
func open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	z, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{z, f}, nil
}

// ReadIntentFile reads labelled requests from a JSONL file (the JDDC
// intent_dev.jsonl format with request/intent/angry/customer_messages, or
// kefu's own {text, intent, angry} format) or a CSV file with a header
// naming an "instruction" (or "text") column and an "intent" column, such
// as the Bitext customer-support set.
func ReadIntentFile(path string) ([]IntentItem, error) {
	name := strings.TrimSuffix(path, ".gz")
	if strings.HasSuffix(name, ".csv") {
		return readIntentCSV(path)
	}
	return readIntentJSONL(path)
}

func readIntentJSONL(path string) ([]IntentItem, error) {
	r, err := open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var items []IntentItem
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var rec struct {
			Text             *string         `json:"text"`
			Request          *string         `json:"request"`
			Intent           string          `json:"intent"`
			Angry            json.RawMessage `json:"angry"`
			CustomerMessages []string        `json:"customer_messages"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		it := IntentItem{Intent: rec.Intent, Messages: rec.CustomerMessages}
		switch {
		case rec.Request != nil:
			it.Text = *rec.Request
		case rec.Text != nil:
			it.Text = *rec.Text
		}
		if len(rec.Angry) > 0 {
			it.HasAngry = true
			s := string(rec.Angry)
			it.Angry = s == "1" || s == "true"
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return items, nil
}

// readCSV reads a CSV with a header and returns rows as maps keyed by
// lower-case column name.
func readCSV(path string) ([]map[string]string, error) {
	r, err := open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	for i, h := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	var rows []map[string]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		row := map[string]string{}
		for i, v := range rec {
			if i < len(header) {
				row[header[i]] = v
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func readIntentCSV(path string) ([]IntentItem, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	var items []IntentItem
	for _, row := range rows {
		text, ok := row["instruction"]
		if !ok {
			text = row["text"]
		}
		items = append(items, IntentItem{Text: text, Intent: row["intent"]})
	}
	return items, nil
}

// SentimentItem is one labelled review.
type SentimentItem struct {
	Text     string
	Positive bool
}

// ReadSentimentFile reads a CSV (optionally .gz) with a header naming a
// "label" column (1 positive, 0 negative) and a "review" (or "text")
// column. Rows with another label or an empty review are skipped.
func ReadSentimentFile(path string) ([]SentimentItem, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	var items []SentimentItem
	for _, row := range rows {
		text, ok := row["review"]
		if !ok {
			text = row["text"]
		}
		text = strings.TrimPrefix(strings.TrimSpace(text), "\ufeff")
		label := strings.TrimSpace(row["label"])
		if text == "" || (label != "0" && label != "1") {
			continue
		}
		items = append(items, SentimentItem{Text: text, Positive: label == "1"})
	}
	return items, nil
}

// Pair is one question pair of a paraphrase set such as ATEC.
type Pair struct {
	Q1, Q2 string
	Same   bool
}

// ReadPairs reads a TSV of id, question1, question2, label (1 = same
// meaning).
func ReadPairs(path string) ([]Pair, error) {
	r, err := open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var pairs []Pair
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 4 {
			continue
		}
		label, err := strconv.Atoi(strings.TrimSpace(f[3]))
		if err != nil {
			continue // a header line
		}
		pairs = append(pairs, Pair{Q1: f[1], Q2: f[2], Same: label == 1})
	}
	return pairs, sc.Err()
}

// SelectionGroup is one response-selection case: a dialogue context and
// candidate replies, of which Correct are right.
type SelectionGroup struct {
	Context    []string
	Candidates []string
	Correct    []bool
}

// ReadSelection reads the ECD response-selection format: TSV lines of
// label, context turns…, candidate, in groups of size lines sharing one
// context (size 10 for ECD).
func ReadSelection(path string, size int) ([]SelectionGroup, error) {
	r, err := open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var groups []SelectionGroup
	var cur SelectionGroup
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 3 {
			continue
		}
		if len(cur.Candidates) == 0 {
			cur.Context = f[1 : len(f)-1]
		}
		cur.Candidates = append(cur.Candidates, f[len(f)-1])
		cur.Correct = append(cur.Correct, strings.TrimSpace(f[0]) == "1")
		if len(cur.Candidates) == size {
			groups = append(groups, cur)
			cur = SelectionGroup{}
		}
	}
	if len(cur.Candidates) > 0 {
		groups = append(groups, cur)
	}
	return groups, sc.Err()
}
