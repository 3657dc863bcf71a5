package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"kefu/bot/llm"
)

const (
	testKey   = "sk-test-9f8e7d6c5b4a"
	testModel = "test-model"
)

// fake is an OpenAI-compatible chat-completions server. It checks each
// request the way a provider would and answers with the canned reply for
// the question.
type fake struct {
	t       *testing.T
	path    string            // expected request path; "" means /v1/chat/completions
	noKey   bool              // expect no Authorization header
	replies map[string]string // question → reply content
	status  int               // if non-zero, reply with this status and body instead
	body    string
	block   bool // reply only when the request is cancelled

	mu           sync.Mutex
	requests     int
	system, user string // the last prompts received
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := f.t
	f.mu.Lock()
	f.requests++
	f.mu.Unlock()
	if f.block {
		// The server notices a client hanging up only once the body has
		// been read; the 5s bound keeps a broken test from hanging.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return
	}

	if r.Method != http.MethodPost {
		t.Errorf("method = %s, want POST", r.Method)
	}
	wantPath := f.path
	if wantPath == "" {
		wantPath = "/v1/chat/completions"
	}
	if r.URL.Path != wantPath {
		t.Errorf("path = %q, want %q", r.URL.Path, wantPath)
	}
	wantAuth := "Bearer " + testKey
	if f.noKey {
		wantAuth = ""
	}
	if got := r.Header.Get("Authorization"); got != wantAuth {
		t.Errorf("Authorization = %q, want %q", got, wantAuth)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}

	var req struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
		Temperature *float64 `json:"temperature"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		t.Errorf("decode request: %v", err)
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	if req.Model != testModel {
		t.Errorf("model = %q, want %q", req.Model, testModel)
	}
	if req.Temperature == nil {
		t.Error("temperature not sent")
	}
	if len(req.Messages) != 2 || req.Messages[0].Role != "system" || req.Messages[1].Role != "user" {
		t.Errorf("messages = %+v, want system then user", req.Messages)
		http.Error(w, "bad messages", http.StatusBadRequest)
		return
	}
	system, user := req.Messages[0].Content, req.Messages[1].Content
	f.mu.Lock()
	f.system, f.user = system, user
	f.mu.Unlock()
	if !strings.Contains(system, "NO_ANSWER") {
		t.Errorf("system prompt does not name the no-answer token:\n%s", system)
	}
	if !strings.Contains(user, "[1] ") {
		t.Errorf("passages not numbered in the user message:\n%s", user)
	}

	w.Header().Set("Content-Type", "application/json")
	if f.status != 0 {
		w.WriteHeader(f.status)
		w.Write([]byte(f.body))
		return
	}
	var question string
	for _, label := range []string{"顾客问题：", "Customer question: "} {
		if i := strings.LastIndex(user, label); i >= 0 {
			question = user[i+len(label):]
		}
	}
	reply, ok := f.replies[question]
	if !ok {
		t.Errorf("no canned reply for question %q", question)
	}
	json.NewEncoder(w).Encode(map[string]any{
		"id":     "chatcmpl-1",
		"object": "chat.completion",
		"model":  testModel,
		"choices": []map[string]any{{
			"index":         0,
			"message":       map[string]string{"role": "assistant", "content": reply},
			"finish_reason": "stop",
		}},
	})
}

func (f *fake) prompts() (system, user string, requests int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.system, f.user, f.requests
}

// serve starts f and returns a client whose base URL is the server's URL
// followed by suffix.
func serve(t *testing.T, f *fake, suffix string, timeout time.Duration) *llm.Client {
	t.Helper()
	f.t = t
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	key := testKey
	if f.noKey {
		key = ""
	}
	return llm.New(llm.Config{BaseURL: srv.URL + suffix, Model: testModel, APIKey: key, Timeout: timeout}, nil)
}

var shop = []llm.Passage{
	{ID: "faq-return", Title: "七天无理由退货", Text: "签收后7天内，商品完好可申请无理由退货。"},
	{ID: "faq-freight", Title: "退货运费", Text: "无理由退货的运费由买家承担；质量问题由商家承担运费。"},
}

func TestGroundedAnswerChinese(t *testing.T) {
	f := &fake{replies: map[string]string{
		"可以退货吗？": "签收后7天内，商品完好可以无理由退货[1]，运费由您承担 [2][1]。",
	}}
	c := serve(t, f, "/v1", 0)
	got, err := c.Answer(context.Background(), "可以退货吗？", "zh-CN", shop)
	if err != nil {
		t.Fatal(err)
	}
	want := llm.Answer{
		Text:      "签收后7天内，商品完好可以无理由退货，运费由您承担。",
		Citations: []string{"faq-return", "faq-freight"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}

	system, user, _ := f.prompts()
	if !strings.Contains(system, "只能根据") || !strings.Contains(system, "绝不承诺退款") {
		t.Errorf("zh system prompt lacks the grounding or promise rule:\n%s", system)
	}
	for _, s := range []string{"[1] 七天无理由退货\n签收后7天内", "[2] 退货运费\n无理由退货的运费"} {
		if !strings.Contains(user, s) {
			t.Errorf("user message lacks %q:\n%s", s, user)
		}
	}
}

func TestGroundedAnswerEnglish(t *testing.T) {
	passages := []llm.Passage{
		{ID: "en-1", Title: "Returns", Text: "Items can be returned within 7 days of delivery."},
		{ID: "en-2", Title: "Shipping", Text: "Orders ship within 48 hours."},
	}
	f := &fake{replies: map[string]string{
		"Can I return this?": "Yes, within 7 days of delivery [1]. It ships within 48 hours【2】.",
	}}
	c := serve(t, f, "/v1", 0)
	got, err := c.Answer(context.Background(), "Can I return this?", "en", passages)
	if err != nil {
		t.Fatal(err)
	}
	want := llm.Answer{Text: "Yes, within 7 days of delivery. It ships within 48 hours.", Citations: []string{"en-1", "en-2"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	system, _, _ := f.prompts()
	if !strings.Contains(system, "ONLY from the numbered passages") {
		t.Errorf("English system prompt expected:\n%s", system)
	}
}

func TestNotGrounded(t *testing.T) {
	replies := map[string]string{
		"token":       "NO_ANSWER",
		"token-dot":   "NO_ANSWER.",
		"cites-7":     "可以退货[7]。",
		"cites-0":     "可以退货[0]。",
		"mixed-range": "可以退货[1][3]。",
		"no-cite":     "可以退货。",
		"only-cites":  "[1][2]",
	}
	f := &fake{replies: replies}
	c := serve(t, f, "/v1", 0)
	for q := range replies {
		got, err := c.Answer(context.Background(), q, "zh", shop)
		if !errors.Is(err, llm.ErrNotGrounded) {
			t.Errorf("%s: err = %v, want ErrNotGrounded", q, err)
		}
		if !reflect.DeepEqual(got, llm.Answer{}) {
			t.Errorf("%s: answer = %+v, want zero", q, got)
		}
	}
}

func TestNoPassagesSkipsTheRequest(t *testing.T) {
	f := &fake{}
	c := serve(t, f, "/v1", 0)
	_, err := c.Answer(context.Background(), "可以退货吗？", "zh", nil)
	if !errors.Is(err, llm.ErrNotGrounded) {
		t.Errorf("err = %v, want ErrNotGrounded", err)
	}
	if _, _, n := f.prompts(); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

func TestPromiseGuard(t *testing.T) {
	damageWithAmount := llm.Passage{ID: "faq-damage", Title: "商品破损", Text: "签收时发现商品破损，我们将赔偿您20元。"}
	damageNoAmount := llm.Passage{ID: "faq-damage", Title: "商品破损", Text: "签收时发现商品破损，可申请赔偿。"}
	refundEN := llm.Passage{ID: "faq-refund", Title: "Refunds", Text: "Refunds go back to the original payment method within 3 working days."}

	cases := []struct {
		name     string
		reply    string
		passages []llm.Passage
		wantErr  error  // nil: allowed
		wantText string // when allowed
	}{
		{"compensation not in passages", "我们将赔偿您20元[1]。", shop, llm.ErrUnsafePromise, ""},
		{"compensation and amount stated", "我们将赔偿您20元[1]。", []llm.Passage{damageWithAmount}, nil, "我们将赔偿您20元。"},
		{"compensation stated, amount not", "我们将赔偿您20元[1]。", []llm.Passage{damageNoAmount}, llm.ErrUnsafePromise, ""},
		{"amount written differently", "破损可获赔付¥20.00[1]。", []llm.Passage{damageWithAmount}, nil, "破损可获赔付¥20.00。"},
		{"stated only in an uncited passage", "我们将赔偿您20元[1]。", []llm.Passage{shop[0], damageWithAmount}, llm.ErrUnsafePromise, ""},
		{"refund backed across languages", "退款将在3个工作日内原路退回[1]。", []llm.Passage{refundEN}, nil, "退款将在3个工作日内原路退回。"},
		{"voucher", "给您补发一张优惠券[1]。", shop, llm.ErrUnsafePromise, ""},
		{"red packet", "送您一个红包[2]。", shop, llm.ErrUnsafePromise, ""},
		{"english refund amount", "We will refund you ¥20 [1].", []llm.Passage{refundEN}, llm.ErrUnsafePromise, ""},
		{"english coupon", "Here is a coupon for your next order [1].", shop, llm.ErrUnsafePromise, ""},
		{"bare amount", "运费是15元[2]。", shop, llm.ErrUnsafePromise, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{replies: map[string]string{"q": tc.reply}}
			c := serve(t, f, "/v1", 0)
			got, err := c.Answer(context.Background(), "q", "zh", tc.passages)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != tc.wantText {
				t.Errorf("text = %q, want %q", got.Text, tc.wantText)
			}
		})
	}
}

func TestProviderErrorHidesKey(t *testing.T) {
	// Some compatible providers echo the rejected key in full.
	f := &fake{status: http.StatusUnauthorized, body: `{"error":{"message":"Incorrect API key provided: ` + testKey +
		`. You can find your API key at https://example.com.","type":"invalid_request_error","code":"invalid_api_key"}}`}
	c := serve(t, f, "/v1", 0)
	_, err := c.Answer(context.Background(), "q", "zh", shop)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if !strings.Contains(msg, "401") || !strings.Contains(msg, "Incorrect API key provided") {
		t.Errorf("error lacks status or provider message: %s", msg)
	}
	if strings.Contains(msg, testKey) {
		t.Errorf("error leaks the API key: %s", msg)
	}
	var apiErr *llm.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
		t.Errorf("err = %#v, want *APIError with 401", err)
	}
	if errors.Is(err, llm.ErrNotGrounded) || errors.Is(err, llm.ErrUnsafePromise) {
		t.Error("a provider error must not look like a rejected answer")
	}
}

func TestMalformedResponses(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		want       string // in the error
	}{
		{"non-JSON 502", "<html>Bad Gateway</html>", http.StatusBadGateway, "502"},
		{"empty choices", `{"id":"x","choices":[]}`, http.StatusOK, "no choices"},
		{"error with 200", `{"error":{"message":"model overloaded"}}`, http.StatusOK, "model overloaded"},
		{"truncated", `{"choices":[{"message":{"role":"assistant","content":"可以退货，但是"},"finish_reason":"length"}]}`, http.StatusOK, "truncated"},
		{"empty content", `{"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"stop"}]}`, http.StatusOK, "empty reply"},
		{"not JSON 200", `hello`, http.StatusOK, "decode"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fake{status: tc.status, body: tc.body}
			c := serve(t, f, "/v1", 0)
			_, err := c.Answer(context.Background(), "q", "zh", shop)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	c := serve(t, &fake{block: true}, "/v1", 100*time.Millisecond)
	start := time.Now()
	_, err := c.Answer(context.Background(), "q", "zh", shop)
	if err == nil {
		t.Fatal("no error from a server that never answers")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v with a 100ms timeout", d)
	}
}

func TestCancel(t *testing.T) {
	c := serve(t, &fake{block: true}, "/v1", 0) // default 10s timeout
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Answer(ctx, "q", "zh", shop)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v after cancel", d)
	}
}

func TestBaseURLForms(t *testing.T) {
	cases := []struct{ suffix, path string }{
		{"", "/chat/completions"},
		{"/", "/chat/completions"},
		{"/v1", "/v1/chat/completions"},
		{"/v1/", "/v1/chat/completions"},
		{"/v1/chat/completions", "/v1/chat/completions"},
	}
	for _, tc := range cases {
		t.Run("base"+tc.suffix, func(t *testing.T) {
			f := &fake{path: tc.path, replies: map[string]string{"q": "可以[1]。"}}
			c := serve(t, f, tc.suffix, 0)
			if _, err := c.Answer(context.Background(), "q", "zh", shop); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestNoKeySendsNoAuthorization(t *testing.T) {
	f := &fake{noKey: true, replies: map[string]string{"q": "可以[1]。"}}
	c := serve(t, f, "/v1", 0)
	if _, err := c.Answer(context.Background(), "q", "zh", shop); err != nil {
		t.Fatal(err)
	}
}

func TestUnconfigured(t *testing.T) {
	c := llm.New(llm.Config{}, nil)
	_, err := c.Answer(context.Background(), "q", "zh", shop)
	if err == nil || errors.Is(err, llm.ErrNotGrounded) {
		t.Errorf("err = %v, want a configuration error", err)
	}
}
