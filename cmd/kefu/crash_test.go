package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// startServe runs `kefu serve` on a fixed port and waits until it is ready.
func startServe(t *testing.T, data, addr string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Env = append(os.Environ(), "KEFU_DATA_DIR="+data, "KEFU_DATABASE_URL=", "KEFU_MASTER_KEY=", "KEFU_LOG_LEVEL=warn")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; i < 300; i++ {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("kefu serve did not become ready")
	return nil
}

// freeAddr finds a free local port; the server must listen on the same one after a restart.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func postJSON(t *testing.T, url string, in any, out any) {
	t.Helper()
	b, _ := json.Marshal(in)
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("POST %s: %d", url, resp.StatusCode)
	}
	json.NewDecoder(resp.Body).Decode(out)
}

type wsFrame struct {
	Type     string          `json:"type"`
	ClientID string          `json:"client_id,omitempty"`
	Text     string          `json:"text,omitempty"`
	Since    int64           `json:"since,omitempty"`
	Message  json.RawMessage `json:"message,omitempty"`
}

type wsMessage struct {
	ID       string `json:"id"`
	Seq      int64  `json:"seq"`
	Text     string `json:"text"`
	ClientID string `json:"client_id"`
}

// TestAcknowledgedMessageSurvivesKill9: a customer message acknowledged over
// the widget socket is still there after the server is killed with SIGKILL,
// and a retry with the same client id after the restart stores nothing new.
func TestAcknowledgedMessageSurvivesKill9(t *testing.T) {
	data := t.TempDir()
	addr := freeAddr(t)
	cmd := startServe(t, data, addr, "--demo")
	resp, err := http.Get("http://" + addr + "/demo/shop")
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	page.ReadFrom(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`data-website-token="([^"]+)"`).FindStringSubmatch(page.String())
	if m == nil {
		t.Fatalf("no website token on the demo shop page:\n%.500s", page.String())
	}
	var sess struct {
		VisitorToken string `json:"visitor_token"`
	}
	postJSON(t, "http://"+addr+"/widget/v1/session", map[string]any{"website_token": m[1]}, &sess)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dial := func() *websocket.Conn {
		c, _, err := websocket.Dial(ctx, "ws://"+addr+"/widget/v1/ws?visitor_token="+sess.VisitorToken, nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// until reads frames until one of the type arrives.
	until := func(c *websocket.Conn, typ string) wsFrame {
		for {
			var f wsFrame
			if err := wsjson.Read(ctx, c, &f); err != nil {
				t.Fatalf("waiting for %s: %v", typ, err)
			}
			if f.Type == typ {
				return f
			}
		}
	}
	c := dial()
	wsjson.Write(ctx, c, wsFrame{Type: "hello"})
	until(c, "ready")
	wsjson.Write(ctx, c, wsFrame{Type: "message", ClientID: "cid-1", Text: "我的快递到哪了"})
	ack := until(c, "ack")
	var acked wsMessage
	json.Unmarshal(ack.Message, &acked)
	if acked.Seq != 1 || ack.ClientID != "cid-1" {
		t.Fatalf("ack: %+v", ack)
	}

	// SIGKILL right after the acknowledgement: no shutdown, no flush.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	c.CloseNow()
	startServe(t, data, addr)

	c = dial()
	defer c.CloseNow()
	wsjson.Write(ctx, c, wsFrame{Type: "hello", Since: 0})
	until(c, "ready")
	got := until(c, "message")
	var msg wsMessage
	json.Unmarshal(got.Message, &msg)
	if msg.ID != acked.ID || msg.Text != "我的快递到哪了" {
		t.Fatalf("after kill -9 and restart: %+v, want %+v", msg, acked)
	}
	// The widget retries the same message (it never saw the ack, say): stored once.
	wsjson.Write(ctx, c, wsFrame{Type: "message", ClientID: "cid-1", Text: "我的快递到哪了"})
	again := until(c, "ack")
	var dup wsMessage
	json.Unmarshal(again.Message, &dup)
	if dup.ID != acked.ID || dup.Seq != 1 {
		t.Fatalf("retry after restart stored a new message: %+v", dup)
	}
	wsjson.Write(ctx, c, wsFrame{Type: "message", ClientID: "cid-2", Text: "在吗"})
	next := until(c, "ack")
	var second wsMessage
	json.Unmarshal(next.Message, &second)
	if second.Seq != 2 || !strings.Contains(second.Text, "在吗") {
		t.Fatalf("next message: %+v", second)
	}
}
