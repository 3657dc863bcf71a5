package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/spf13/cobra"

	"kefu"
	"kefu/app"
	"kefu/auth"
	"kefu/config"
	"kefu/httpapi"
)

// benchResult is what `kefu bench --json` prints.
type benchResult struct {
	Customers  int     `json:"customers"`
	Agents     int     `json:"agents"`
	Sent       int64   `json:"sent"`
	Delivered  int64   `json:"delivered"`
	Lost       int64   `json:"lost"`
	Duplicated int64   `json:"duplicated"`
	Replies    int64   `json:"replies"`
	Seconds    float64 `json:"seconds"`
	MsgsPerS   float64 `json:"msgs_per_s"`
	P50Ms      float64 `json:"p50_ms"`
	P99Ms      float64 `json:"p99_ms"`
}

func benchCmd(g *globals) *cobra.Command {
	var customers, agents, messages int
	var duration time.Duration
	var asJSON bool
	var cpuProfile string
	var target benchTarget
	var replay string
	var hold time.Duration
	var speed float64
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Load kefu end to end: simulated widget customers over WebSocket and agents who answer",
		Long: "Starts kefu on a temporary SQLite database and drives it: each customer opens the widget socket and\n" +
			"sends --messages messages, each waiting for its acknowledgement; agents receive them on their\n" +
			"sockets and answer through the API. Latency is customer send → agent socket receive.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			if replay != "" {
				res, err := runReplay(cmd.Context(), target, replay, speed, duration)
				if err != nil {
					return err
				}
				if asJSON {
					return json.NewEncoder(cmd.OutOrStdout()).Encode(res)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "replayed %d conversations: sent %d, delivered %d, lost %d, duplicated %d, out of order %d\n"+
					"%.0f msgs/s over %.1f s; latency p50 %.1f ms, p99 %.1f ms\n", res.Conversations, res.Sent, res.Delivered,
					res.Lost, res.Duplicated, res.OutOfOrder, res.MsgsPerS, res.Seconds, res.P50Ms, res.P99Ms)
				return nil
			}
			res, err := runBench(cmd.Context(), target, customers, agents, messages, duration, hold)
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d customers, %d agents: sent %d, delivered %d, lost %d, duplicated %d, %d replies\n"+
				"%.0f msgs/s over %.1f s; latency p50 %.1f ms, p99 %.1f ms\n",
				res.Customers, res.Agents, res.Sent, res.Delivered, res.Lost, res.Duplicated, res.Replies,
				res.MsgsPerS, res.Seconds, res.P50Ms, res.P99Ms)
			return nil
		},
	}
	cmd.Flags().IntVar(&customers, "customers", 100, "simulated widget customers")
	cmd.Flags().IntVar(&agents, "agents", 5, "simulated agents answering")
	cmd.Flags().IntVar(&messages, "messages", 10, "messages per customer")
	cmd.Flags().DurationVar(&duration, "duration", 2*time.Minute, "stop after this long")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile (go tool pprof) to this file")
	cmd.Flags().StringVar(&target.url, "url", "", "drive a running kefu at this URL instead of starting one (needs --website-token and --agent-token)")
	cmd.Flags().StringVar(&target.websiteToken, "website-token", "", "with --url: the web chat inbox's website token")
	cmd.Flags().StringVar(&target.agentToken, "agent-token", "", "with --url: an API token of a user who sees all conversations (kefu token create)")
	cmd.Flags().StringVar(&replay, "replay", "", "replay real conversations from a JDDC TSV file (session, user, waiter_send, …, text)")
	cmd.Flags().DurationVar(&hold, "hold", 0, "keep the customers' sockets open and idle this long after sending (to measure memory per connection)")
	cmd.Flags().Float64Var(&speed, "speed", 10, "with --replay: speed-up factor over a 3-second pause between turns")
	cmd.AddCommand(benchReportsCmd(g))
	return cmd
}

// benchTarget is the kefu a bench drives: a running one (url set) or one it
// starts on a temporary SQLite database.
type benchTarget struct {
	url          string
	websiteToken string
	agentToken   string
}

// start returns the base URL, website token and agent token to use, and a
// function that stops what start started.
func (t benchTarget) start(ctx context.Context) (benchTarget, func(), error) {
	if t.url != "" {
		if t.websiteToken == "" || t.agentToken == "" {
			return t, nil, fmt.Errorf("with --url, give --website-token (console: 接入渠道) and --agent-token (kefu token create)")
		}
		t.url = strings.TrimSuffix(t.url, "/")
		return t, func() {}, nil
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil))) // requests cut off at the end are expected
	dir, err := os.MkdirTemp("", "kefu-bench")
	if err != nil {
		return t, nil, err
	}
	cfg := config.Default()
	cfg.DataDir = dir
	a, err := app.Open(ctx, cfg, kefu.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return t, nil, err
	}
	stop := func() { a.Close(); os.RemoveAll(dir) }
	sys := app.System(ctx, "kefu bench")
	a.Auth.Argon2 = auth.Argon2Params{Memory: 8 * 1024, Time: 1, Threads: 1}
	ib, err := a.Webchat.CreateInbox(sys, kefu.Inbox{Name: "bench"})
	if err != nil {
		stop()
		return t, nil, err
	}
	if _, err := a.Auth.CreateUser(sys, auth.NewUser{Email: "bench@example.com", Name: "压测坐席", Role: kefu.RoleSupervisor, Password: "bench password"}); err != nil {
		stop()
		return t, nil, err
	}
	token, _, err := a.Auth.CreateAPITokenFor(sys, "bench@example.com", "bench")
	if err != nil {
		stop()
		return t, nil, err
	}
	srv := httptest.NewServer(httpapi.New(a, httpapi.Assets{}, false))
	return benchTarget{url: srv.URL, websiteToken: ib.WebsiteToken, agentToken: token}, func() { srv.Close(); stop() }, nil
}

func (t benchTarget) ws() string { return "ws" + strings.TrimPrefix(t.url, "http") }

// agentSocket opens the agent WebSocket with the bench's token.
func (t benchTarget) agentSocket(ctx context.Context) (*websocket.Conn, error) {
	c, _, err := websocket.Dial(ctx, t.ws()+"/api/v1/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + t.agentToken}}})
	if err != nil {
		return nil, fmt.Errorf("agent socket: %w", err)
	}
	c.SetReadLimit(1 << 20)
	return c, nil
}

// reply posts an agent message through the API.
func (t benchTarget) reply(ctx context.Context, conv, clientID, text string) error {
	body, _ := json.Marshal(map[string]any{"client_id": clientID, "text": text})
	req, _ := http.NewRequestWithContext(ctx, "POST", t.url+"/api/v1/conversations/"+conv+"/messages", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+t.agentToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("reply: HTTP %d", resp.StatusCode)
	}
	return nil
}

func runBench(ctx context.Context, target benchTarget, customers, agents, messages int, duration, hold time.Duration) (benchResult, error) {
	res := benchResult{Customers: customers, Agents: agents}
	t, stop, err := target.start(ctx)
	if err != nil {
		return res, err
	}
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()

	// Agents: supervisors with API tokens, on the agent socket.
	var sentAt sync.Map // client id → time sent
	var mu sync.Mutex
	var latencies []float64
	seen := map[string]int{}
	var replies atomic.Int64
	type job struct{ conv, text string }
	work := make(chan job, 10000)
	var agentWG sync.WaitGroup
	for i := range agents {
		c, err := t.agentSocket(ctx)
		if err != nil {
			return res, err
		}
		defer c.CloseNow()
		measure := i == 0 // one agent's socket measures, so each message counts once
		agentWG.Add(1)
		go func() {
			defer agentWG.Done()
			for {
				var f struct {
					Type    string        `json:"type"`
					Message *kefu.Message `json:"message"`
				}
				if err := wsjson.Read(ctx, c, &f); err != nil {
					return
				}
				if f.Type != "message" || f.Message == nil || f.Message.SenderType != kefu.SenderCustomer || !measure {
					continue
				}
				now := time.Now()
				mu.Lock()
				seen[f.Message.ClientID]++
				if v, ok := sentAt.Load(f.Message.ClientID); ok && seen[f.Message.ClientID] == 1 {
					latencies = append(latencies, float64(now.Sub(v.(time.Time)).Microseconds())/1000)
				}
				mu.Unlock()
				select {
				case work <- job{f.Message.ConversationID, f.Message.Text}:
				default: // the answering agents are saturated; answers are not what is measured
				}
			}
		}()
	}
	// Answering agents reply through the REST API.
	for range agents {
		agentWG.Add(1)
		go func() {
			defer agentWG.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case j := <-work:
					if t.reply(ctx, j.conv, kefu.NewID(), "收到："+j.text) == nil {
						replies.Add(1)
					}
				}
			}
		}()
	}

	// Customers: a widget session and socket each; every message waits for its ack.
	start := time.Now()
	var sent atomic.Int64
	var custWG sync.WaitGroup
	errs := make(chan error, customers)
	for n := range customers {
		custWG.Add(1)
		go func() {
			defer custWG.Done()
			errs <- benchCustomer(ctx, t, n, messages, hold, &sentAt, &sent)
		}()
	}
	custWG.Wait()
	if err := firstError(ctx, errs); err != nil {
		return res, err
	}
	// Give the last messages a moment to reach the agents' sockets.
	waitUntil(5*time.Second, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return int64(len(seen)) >= sent.Load()
	})
	elapsed := time.Since(start)
	cancel()
	agentWG.Wait()

	mu.Lock()
	defer mu.Unlock()
	res.Sent, res.Seconds, res.Replies = sent.Load(), elapsed.Seconds(), replies.Load()
	for _, k := range seen {
		res.Delivered++
		if k > 1 {
			res.Duplicated += int64(k - 1)
		}
	}
	res.Lost = res.Sent - res.Delivered
	res.MsgsPerS = float64(res.Delivered) / elapsed.Seconds()
	res.P50Ms, res.P99Ms = percentiles(latencies)
	return res, nil
}

// firstError closes errs and returns the first error in it, unless the run was stopped.
func firstError(ctx context.Context, errs chan error) error {
	close(errs)
	for err := range errs {
		if err != nil && ctx.Err() == nil {
			return err
		}
	}
	return nil
}

// waitUntil polls done until it is true or the time is up.
func waitUntil(d time.Duration, done func() bool) {
	for deadline := time.Now().Add(d); time.Now().Before(deadline) && !done(); {
		time.Sleep(20 * time.Millisecond)
	}
}

// percentiles returns the median and 99th percentile of the latencies.
func percentiles(ms []float64) (p50, p99 float64) {
	if len(ms) == 0 {
		return 0, 0
	}
	slices.Sort(ms)
	return ms[len(ms)/2], ms[min(len(ms)-1, len(ms)*99/100)]
}

// customerSocket starts a widget session and opens its socket.
func (t benchTarget) customerSocket(ctx context.Context) (*websocket.Conn, error) {
	body, _ := json.Marshal(map[string]string{"website_token": t.websiteToken})
	resp, err := http.Post(t.url+"/widget/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	var sess struct {
		VisitorToken string `json:"visitor_token"`
	}
	json.NewDecoder(resp.Body).Decode(&sess)
	resp.Body.Close()
	c, _, err := websocket.Dial(ctx, t.ws()+"/widget/v1/ws?visitor_token="+sess.VisitorToken, nil)
	if err != nil {
		return nil, fmt.Errorf("customer socket: %w", err)
	}
	c.SetReadLimit(1 << 20)
	if err := wsjson.Write(ctx, c, map[string]any{"type": "hello"}); err != nil {
		c.CloseNow()
		return nil, err
	}
	return c, nil
}

func benchCustomer(ctx context.Context, t benchTarget, n, messages int, hold time.Duration, sentAt *sync.Map, sent *atomic.Int64) error {
	c, err := t.customerSocket(ctx)
	if err != nil {
		return err
	}
	defer c.CloseNow()
	for i := 0; i < messages; i++ {
		id := fmt.Sprintf("c%d-m%d", n, i)
		sentAt.Store(id, time.Now())
		if err := wsjson.Write(ctx, c, map[string]any{"type": "message", "client_id": id, "text": fmt.Sprintf("客户%d的第%d条消息：我的快递到哪了", n, i)}); err != nil {
			return err
		}
		sent.Add(1)
		for {
			var f struct {
				Type     string `json:"type"`
				ClientID string `json:"client_id"`
				Text     string `json:"text"`
			}
			if err := wsjson.Read(ctx, c, &f); err != nil {
				return err
			}
			if f.Type == "ack" && f.ClientID == id {
				break
			}
			if f.Type == "error" {
				return fmt.Errorf("customer %d: %s", n, f.Text)
			}
		}
	}
	if hold > 0 {
		select {
		case <-time.After(hold):
		case <-ctx.Done():
		}
	}
	return nil
}
