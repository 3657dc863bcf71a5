package bot_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"kefu"
	"kefu/calendar"
	"kefu/store"
	"kefu/store/storetest"
)

func TestOutOfHoursTheBotSaysSoAndTakesAMessage(t *testing.T) {
	f := setup(t, storetest.Open(t, store.SQLite))
	// The fixed clock is Monday 2026-11-23 18:00 in Shanghai; the team works 09:00–17:00 on weekdays.
	day := []calendar.Shift{{Start: "09:00", End: "17:00"}}
	hours := calendar.Calendar{TimeZone: "Asia/Shanghai", Weekly: map[string][]calendar.Shift{"monday": day, "tuesday": day,
		"wednesday": day, "thursday": day, "friday": day}}
	if _, err := f.a.SLA.PutCalendar(f.sys, "", "工作日", true, hours); err != nil {
		t.Fatal(err)
	}
	c := f.say(t, f.contact(t), "转人工")
	msgs := f.messages(t, c.ID)
	notice := msgs[len(msgs)-2]
	if c.Bot || notice.SenderType != kefu.SenderSystem || !strings.Contains(notice.Text, "非工作时间") || !strings.Contains(notice.Text, "11月24日 09:00") {
		t.Fatalf("out-of-hours notice: bot=%v %+v", c.Bot, notice)
	}
	// The message is kept and waits in the queue for the morning.
	if c.QueuedAt == nil || c.Status != kefu.StatusOpen {
		t.Fatalf("not waiting for an agent: %+v", c)
	}
}

// fakeLLM speaks the OpenAI chat-completions protocol and answers with a
// fixed reply.
func fakeLLM(t *testing.T, reply string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer sk-test" {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"choices": []map[string]any{{"finish_reason": "stop",
			"message": map[string]string{"role": "assistant", "content": reply}}}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestGenerativeAnswersAreGroundedOrFallBack(t *testing.T) {
	for _, tc := range []struct {
		name, reply, want string
	}{
		{"grounded", "您可以在「我的订单」里查看物流进度[1]。", "您可以在「我的订单」里查看物流进度。\n参考：我的快递到哪了"},
		{"unsafe promise", "很抱歉，我们将赔偿您20元[1]。", "亲，您可在「我的订单」查看物流，客服电话 400-000-0000。"},
		{"not grounded", "NO_ANSWER", "亲，您可在「我的订单」查看物流"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t, storetest.Open(t, store.SQLite))
			srv := fakeLLM(t, tc.reply)
			cfg := kefu.DefaultSettings()
			cfg.LLMEnabled, cfg.LLMBaseURL, cfg.LLMModel, cfg.LLMAPIKey = true, srv.URL+"/v1", "qwen-test", "sk-test"
			if _, err := f.a.Settings.Update(f.sys, cfg); err != nil {
				t.Fatal(err)
			}
			c := f.say(t, f.contact(t), "物流一直不动了")
			msgs := f.messages(t, c.ID)
			if last := msgs[len(msgs)-1]; last.SenderType != kefu.SenderBot || !strings.HasPrefix(last.Text, tc.want) {
				t.Fatalf("answer: %q", last.Text)
			}
		})
	}
}
