package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket/wsjson"

	"kefu"
)

// replayResult is what `kefu bench --replay --json` prints.
type replayResult struct {
	Conversations int     `json:"conversations"`
	Sent          int64   `json:"sent"`
	Delivered     int64   `json:"delivered"`
	Lost          int64   `json:"lost"`
	Duplicated    int64   `json:"duplicated"`
	OutOfOrder    int64   `json:"out_of_order"`
	Skipped       int64   `json:"skipped"` // agent lines before the customer's first message
	Seconds       float64 `json:"seconds"`
	MsgsPerS      float64 `json:"msgs_per_s"`
	P50Ms         float64 `json:"p50_ms"`
	P99Ms         float64 `json:"p99_ms"`
}

type replayLine struct {
	agent bool
	text  string
}

// readJDDC groups a JDDC TSV (session, user, waiter_send, transfer, repeat,
// sku, content) into conversations in file order.
func readJDDC(path string) ([][]replayLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open the replay file: %w", err)
	}
	defer f.Close()
	var sessions [][]replayLine
	index := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "\t", 7)
		if len(parts) < 7 || strings.TrimSpace(parts[6]) == "" {
			continue
		}
		i, ok := index[parts[0]]
		if !ok {
			i = len(sessions)
			index[parts[0]] = i
			sessions = append(sessions, nil)
		}
		// kefu trims the edges of a message, so the replay compares trimmed text.
		sessions[i] = append(sessions[i], replayLine{agent: parts[2] == "1", text: strings.TrimSpace(parts[6])})
	}
	if len(sessions) == 0 {
		return nil, fmt.Errorf("%s holds no conversations", path)
	}
	return sessions, sc.Err()
}

// runReplay plays real conversations through kefu: customer lines through the
// widget socket, agent lines through the agent API, with a pause of 3 s /
// speed between turns. It then checks that every conversation is stored
// exactly as played, once and in order.
func runReplay(ctx context.Context, target benchTarget, path string, speed float64, duration time.Duration) (replayResult, error) {
	var res replayResult
	sessions, err := readJDDC(path)
	if err != nil {
		return res, err
	}
	res.Conversations = len(sessions)
	t, stop, err := target.start(ctx)
	if err != nil {
		return res, err
	}
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	pause := time.Duration(float64(3*time.Second) / speed)

	var mu sync.Mutex
	sentAt := map[string]time.Time{}
	seen := map[string]int{}
	var latencies []float64
	got := func(clientID string) {
		now := time.Now()
		mu.Lock()
		defer mu.Unlock()
		seen[clientID]++
		if at, ok := sentAt[clientID]; ok && seen[clientID] == 1 {
			latencies = append(latencies, float64(now.Sub(at).Microseconds())/1000)
		}
	}
	sent := func(clientID string) {
		mu.Lock()
		sentAt[clientID] = time.Now()
		mu.Unlock()
	}

	// The agents' socket sees every customer message.
	agent, err := t.agentSocket(ctx)
	if err != nil {
		return res, err
	}
	defer agent.CloseNow()
	go func() {
		for {
			var f struct {
				Type    string        `json:"type"`
				Message *kefu.Message `json:"message"`
			}
			if err := wsjson.Read(ctx, agent, &f); err != nil {
				return
			}
			if f.Type == "message" && f.Message != nil && f.Message.SenderType == kefu.SenderCustomer {
				got(f.Message.ClientID)
			}
		}
	}()

	start := time.Now()
	convIDs := make([]string, len(sessions))
	played := make([][]replayLine, len(sessions))
	var wg sync.WaitGroup
	var skipped, outOfOrder int64
	errs := make(chan error, len(sessions))
	for si, lines := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := t.customerSocket(ctx)
			if err != nil {
				errs <- err
				return
			}
			defer c.CloseNow()
			frames := make(chan map[string]any, 64)
			go func() {
				defer close(frames)
				for {
					var f map[string]any
					if err := wsjson.Read(ctx, c, &f); err != nil {
						return
					}
					frames <- f
				}
			}()
			var agentTexts []string // what the customer received from agents, in order
			lastSeq := 0.0
			handle := func(f map[string]any) {
				if f["type"] != "message" {
					return
				}
				m, _ := f["message"].(map[string]any)
				if m["sender_type"] == kefu.SenderAgent {
					if seq, _ := m["seq"].(float64); seq <= lastSeq {
						mu.Lock()
						outOfOrder++
						mu.Unlock()
					} else {
						lastSeq = seq
					}
					id, _ := m["client_id"].(string)
					got(id)
					agentTexts = append(agentTexts, m["text"].(string))
				}
			}
			var expectAgent []string
			for i, l := range lines {
				id := fmt.Sprintf("s%d-%d", si, i)
				if l.agent {
					if convIDs[si] == "" {
						mu.Lock()
						skipped++
						mu.Unlock()
						continue
					}
					sent(id)
					if err := t.reply(ctx, convIDs[si], id, l.text); err != nil {
						errs <- err
						return
					}
					expectAgent = append(expectAgent, l.text)
				} else {
					sent(id)
					if err := wsjson.Write(ctx, c, map[string]any{"type": "message", "client_id": id, "text": l.text}); err != nil {
						errs <- err
						return
					}
					for acked := false; !acked; {
						f, open := <-frames
						if !open {
							errs <- fmt.Errorf("conversation %d: socket closed", si)
							return
						}
						handle(f)
						if f["type"] == "ack" && f["client_id"] == id {
							m := f["message"].(map[string]any)
							convIDs[si] = m["conversation_id"].(string)
							acked = true
						}
					}
				}
				played[si] = append(played[si], l)
				time.Sleep(pause)
			}
			// Wait for the last agent lines to reach the customer.
			deadline := time.After(10 * time.Second)
			for len(agentTexts) < len(expectAgent) {
				select {
				case f, open := <-frames:
					if !open {
						return
					}
					handle(f)
				case <-deadline:
					return
				}
			}
			if !slices.Equal(agentTexts, expectAgent) {
				mu.Lock()
				outOfOrder++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := firstError(ctx, errs); err != nil {
		return res, err
	}
	// Wait briefly for the agents' socket to catch up, then check the stored
	// conversations against what was played.
	waitUntil(5*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seen) >= len(sentAt)
	})
	elapsed := time.Since(start)
	for si, conv := range convIDs {
		if conv == "" {
			continue
		}
		stored, err := t.storedTexts(ctx, conv)
		if err != nil {
			return res, err
		}
		var want []string
		for _, l := range played[si] {
			want = append(want, l.text)
		}
		if !slices.Equal(stored, want) {
			outOfOrder++
		}
	}

	mu.Lock()
	defer mu.Unlock()
	res.Sent, res.Skipped, res.OutOfOrder = int64(len(sentAt)), skipped, outOfOrder
	for id := range sentAt {
		if k := seen[id]; k > 0 {
			res.Delivered++
			res.Duplicated += int64(k - 1)
		}
	}
	res.Lost = res.Sent - res.Delivered
	res.Seconds = elapsed.Seconds()
	res.MsgsPerS = float64(res.Delivered) / elapsed.Seconds()
	res.P50Ms, res.P99Ms = percentiles(latencies)
	return res, nil
}

// storedTexts reads a conversation's messages back through the API.
func (t benchTarget) storedTexts(ctx context.Context, conv string) ([]string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", t.url+"/api/v1/conversations/"+conv+"/messages?limit=200", nil)
	req.Header.Set("Authorization", "Bearer "+t.agentToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var page struct {
		Items []kefu.Message `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return nil, err
	}
	var out []string
	for _, m := range page.Items {
		out = append(out, m.Text)
	}
	return out, nil
}
