// Package llm phrases the bot's answers with a language model behind an
// OpenAI-compatible chat-completions endpoint (OpenAI, DeepSeek, Qwen,
// vLLM, Ollama, ...), grounded in the knowledge-base passages the bot has
// already retrieved. It is optional: the bot falls back to the plain FAQ
// answer on any error from this package, so every error is final for one
// question and never fatal.
//
// A model is fluent whether or not it is right, so Answer only returns a
// reply it can check, and the checks run on the reply rather than relying
// on the prompt (a customer can write "ignore your instructions" into the
// question):
//
//   - Grounding. The model is told to answer only from the numbered
//     passages, cite them inline as [1], [2], and reply exactly NoAnswer
//     when they do not answer the question. A reply that says NoAnswer,
//     cites no passage, or cites a passage number that does not exist gives
//     ErrNotGrounded.
//   - Promises. A reply that mentions a refund, compensation, cash back, a
//     red packet, a voucher or coupon, or an amount of money gives
//     ErrUnsafePromise unless one of the passages it cites mentions the
//     same concept (and, for amounts, the same amount). A bot promising
//     money the shop never offered is the costliest mistake it can make.
//
// Citation markers are removed from Answer.Text, which the customer sees
// and for whom "[1]" means nothing; Answer.Citations lists the IDs of the
// cited passages instead, so the caller can link or log them.
package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// DefaultTimeout bounds one Answer when Config.Timeout is zero. A customer
// waiting in a chat window is better served by the FAQ answer now than by a
// nicer one in half a minute.
const DefaultTimeout = 10 * time.Second

// maxResponse caps how much of a response body is read; a chat answer is a
// few kilobytes, anything far larger is a misbehaving endpoint.
const maxResponse = 1 << 20

// Config says which endpoint and model to use.
type Config struct {
	// BaseURL is the API root, with or without a trailing slash, e.g.
	// "https://api.openai.com/v1" or "http://localhost:11434/v1";
	// "/chat/completions" is appended unless it is already there.
	BaseURL string
	Model   string
	// APIKey is sent as "Authorization: Bearer ..."; empty sends no
	// header (local servers often need none).
	APIKey  string
	Timeout time.Duration // per Answer; 0 means DefaultTimeout
}

// Passage is a piece of the knowledge base the answer may use.
type Passage struct {
	ID, Title, Text string
}

// Answer is a checked reply.
type Answer struct {
	Text      string   // for the customer, without citation markers
	Citations []string // IDs of the cited passages, in order of first citation, each once
}

// APIError is a non-2xx response from the provider.
type APIError struct {
	StatusCode int
	Message    string // the provider's error.message when the body is JSON, key redacted
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("llm: provider returned %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Client calls one model. It is safe for concurrent use.
type Client struct {
	endpoint string
	model    string
	apiKey   string
	timeout  time.Duration
	hc       *http.Client
}

// New returns a client for cfg. A nil hc means a new http.Client with the
// configured timeout. New does not contact the endpoint.
func New(cfg Config, hc *http.Client) *Client {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if hc == nil {
		hc = &http.Client{Timeout: timeout}
	}
	return &Client{
		endpoint: endpoint(cfg.BaseURL),
		model:    cfg.Model,
		apiKey:   cfg.APIKey,
		timeout:  timeout,
		hc:       hc,
	}
}

// endpoint accepts the forms people paste from provider docs: the API root
// with or without "/" and the full chat-completions URL.
func endpoint(base string) string {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	if base == "" || strings.HasSuffix(base, "/chat/completions") {
		return base
	}
	return base + "/chat/completions"
}

// Answer asks the model to answer question (written in lang, e.g. "zh-CN"
// or "en") from passages, and returns the reply if it passes the grounding
// and promise checks. Errors wrap ErrNotGrounded or ErrUnsafePromise when
// a check fails, are an *APIError when the provider refuses, and wrap the
// context's error when ctx ends first. With no passages there is nothing to
// ground an answer in, so Answer returns ErrNotGrounded without a request.
func (c *Client) Answer(ctx context.Context, question, lang string, passages []Passage) (Answer, error) {
	if len(passages) == 0 {
		return Answer{}, fmt.Errorf("%w: no passages to answer from", ErrNotGrounded)
	}
	reply, err := c.complete(ctx, []message{
		{Role: "system", Content: systemPrompt(lang)},
		{Role: "user", Content: userPrompt(question, lang, passages)},
	})
	if err != nil {
		return Answer{}, err
	}
	return check(reply, passages)
}

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model    string    `json:"model"`
	Messages []message `json:"messages"`
	// Not omitempty: 0 must be sent, or the provider's default (often 1)
	// applies. A support answer should be the most likely one, not a
	// creative one.
	Temperature float64 `json:"temperature"`
}

type chatResponse struct {
	Choices []struct {
		Message      message `json:"message"`
		FinishReason string  `json:"finish_reason"`
	} `json:"choices"`
	// Raw because compatible servers disagree: OpenAI sends an object with
	// a message, some send a plain string.
	Error json.RawMessage `json:"error"`
}

// complete sends one chat-completions request and returns the first
// choice's content.
func (c *Client) complete(ctx context.Context, msgs []message) (string, error) {
	if c.endpoint == "" || c.model == "" {
		return "", errors.New("llm: base URL and model must be configured")
	}
	// Also bounds a caller-supplied http.Client that has no timeout.
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	body, err := json.Marshal(chatRequest{Model: c.model, Messages: msgs, Temperature: 0})
	if err != nil {
		return "", fmt.Errorf("llm: encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("llm: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	// Transport errors name the URL but never the headers, so the key
	// cannot leak through them.
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("llm: request: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return "", fmt.Errorf("llm: read response: %w", err)
	}

	var cr chatResponse
	decodeErr := json.Unmarshal(data, &cr)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", &APIError{StatusCode: resp.StatusCode, Message: c.providerMessage(cr.Error)}
	}
	if decodeErr != nil {
		return "", fmt.Errorf("llm: decode response: %w", decodeErr)
	}
	if len(cr.Choices) == 0 {
		if msg := c.providerMessage(cr.Error); msg != "" {
			return "", fmt.Errorf("llm: response has no choices: %s", msg)
		}
		return "", errors.New("llm: response has no choices")
	}
	choice := cr.Choices[0]
	// A reply cut off at the token limit may have lost the sentence that
	// qualifies it ("...only if unopened"); better not to show it.
	if choice.FinishReason == "length" {
		return "", errors.New("llm: reply truncated at the token limit")
	}
	if strings.TrimSpace(choice.Message.Content) == "" {
		return "", errors.New("llm: empty reply")
	}
	return choice.Message.Content, nil
}

// providerMessage extracts error.message (or a string error) for the
// caller's logs. Some providers echo the key they rejected, so it is
// redacted; the message is shortened so a provider's HTML page or stack
// trace does not flood the logs.
func (c *Client) providerMessage(raw json.RawMessage) string {
	var msg string
	var obj struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.Message != "" {
		msg = obj.Message
	} else if json.Unmarshal(raw, &msg) != nil {
		return ""
	}
	if c.apiKey != "" {
		msg = strings.ReplaceAll(msg, c.apiKey, "[redacted]")
	}
	if r := []rune(msg); len(r) > 300 {
		msg = string(r[:300]) + "…"
	}
	return msg
}
