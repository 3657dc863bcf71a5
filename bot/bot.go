// Package bot answers customers before a human does: from the knowledge base
// when it is confident, handing the conversation to the human queue when the
// customer asks for a person, is angry or complains, when no answer is good
// enough, or when two answers in a row did not help. Everything it decides is
// recorded (bot_turns) for reports and for filling knowledge-base gaps.
package bot

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"kefu"
	"kefu/bot/llm"
	"kefu/inbox"
	"kefu/kb"
	"kefu/realtime"
	"kefu/settings"
	"kefu/store"
)

// DefaultThreshold is the confidence below which the bot does not answer.
const DefaultThreshold = 0.5

// Understanding is what the bot makes of a customer's messages. The
// language models plug in here; Rules is the built-in fallback.
type Understanding interface {
	// Intent returns the request type of a message (one of kefu.Intents) and
	// how sure the model is.
	Intent(text string) (intent string, confidence float64)
	// Angry reports whether the customer shows clear anger.
	Angry(messages []string) bool
}

// Service is the bot.
type Service struct {
	DB       *store.DB
	Inbox    *inbox.Service
	KB       *kb.Service
	Settings *settings.Service
	Bus      *realtime.Bus
	Clock    kefu.Clock
	Log      *slog.Logger

	// OpenNow reports whether a team is within business hours and, if not,
	// when it opens; nil means always open. Out of hours the bot says so.
	OpenNow func(ctx context.Context, teamID string) (bool, time.Time, error)
	// Generate phrases an answer from knowledge passages with the
	// workspace's generative endpoint; nil or an error keeps the FAQ answer.
	Generate func(ctx context.Context, question, lang string, passages []llm.Passage) (llm.Answer, error)

	modelsMu      sync.RWMutex
	understanding Understanding // nil uses Rules; see SetModels
	actions       []registered  // see RegisterAction

	// One customer message at a time per conversation, so answers keep order.
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func (s *Service) lock(conversationID string) func() {
	s.mu.Lock()
	if s.locks == nil {
		s.locks = map[string]*sync.Mutex{}
	}
	l, ok := s.locks[conversationID]
	if !ok {
		l = &sync.Mutex{}
		s.locks[conversationID] = l
	}
	s.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		s.mu.Lock()
		delete(s.locks, conversationID)
		s.mu.Unlock()
	}
}

// SetModels gives the bot trained language models in place of its rules.
func (s *Service) SetModels(u Understanding) {
	s.modelsMu.Lock()
	defer s.modelsMu.Unlock()
	s.understanding = u
}

func (s *Service) models() Understanding {
	s.modelsMu.RLock()
	defer s.modelsMu.RUnlock()
	if s.understanding != nil {
		return s.understanding
	}
	return Rules{}
}

// humanWords are how customers ask for a person.
var humanWords = regexp.MustCompile(`(?i)(转人工|人工客服|人工服务|找人工|要人工|^人工$|真人|客服在吗|\bhuman\b|\b(live |real )?agent\b|\bperson\b|\boperator\b)`)

// Messages the bot says, per language.
type phrases struct{ askedHuman, handoff, offline, closed, opens, didHelp, sources, sep string }

var say = map[string]phrases{
	"zh-CN": {askedHuman: "好的，正在为您转接人工客服，请稍候～", handoff: "这个问题我为您转接人工客服，请稍候，客服会马上看到我们刚才的对话。",
		offline: "现在人工客服不在线，您的问题已经记录，客服上线后会第一时间回复您。", didHelp: "以上回答对您有帮助吗？",
		closed: "现在是非工作时间（%s），您的留言已经记录，客服将在 %s 上班后第一时间回复您。", opens: "1月2日 15:04", sources: "参考：", sep: "；"},
	"en": {askedHuman: "Sure — connecting you to a human agent now.", handoff: "Let me bring in a human agent; they will see our conversation so far.",
		offline: "Our agents are offline right now. Your message is saved and an agent will reply as soon as they are back.", didHelp: "Did this answer help?",
		closed: "We are outside business hours (%s). Your message is saved and an agent will reply when we open at %s.", opens: "Jan 2 15:04", sources: "Sources: ", sep: "; "},
}

// Handle answers one customer message of a conversation the bot handles.
// It runs after the message is committed; errors are logged, and the
// conversation goes to a human when the bot cannot do its part.
func (s *Service) Handle(ctx context.Context, c kefu.Conversation, m kefu.Message) {
	unlock := s.lock(c.ID)
	defer unlock()
	if err := s.handle(ctx, c, m); err != nil {
		s.Log.Error("bot failed; handing over to a human", "conversation", c.ID, "err", err)
		_ = s.Inbox.HandOff(ctx, c.ID, inbox.Handoff{Reason: "bot_error"}) // a no-op when a human has it already
	}
}

func (s *Service) handle(ctx context.Context, c kefu.Conversation, m kefu.Message) error {
	fresh, err := s.DB.Conversation(ctx, c.ID)
	if err != nil {
		return err
	}
	if !fresh.Bot {
		// Agents answer; the bot sorts the request and watches the customer's mood.
		if fresh.Intent == "" {
			if intent, _ := s.models().Intent(m.Text); intent != "other" {
				if err := s.Inbox.SetDetectedIntent(ctx, c.ID, intent); err != nil {
					return err
				}
			}
		}
		if s.models().Angry([]string{m.Text}) {
			return s.Inbox.MarkAngry(ctx, c.ID)
		}
		return nil
	}
	text := strings.TrimSpace(m.Text)
	lang := kefu.DetectLanguage(text)
	p := say[lang]
	history, err := s.DB.Messages(ctx, c.ID, 0, 200, false)
	if err != nil {
		return err
	}
	var said []string
	for _, h := range history {
		if h.SenderType == kefu.SenderCustomer {
			said = append(said, h.Text)
		}
	}
	// The conversation's intent is that of the first message stating a
	// request (the taxonomy's rule), not of "转人工".
	intent, intentConf := "other", 0.0
	for _, t := range said {
		if i, conf := s.models().Intent(t); i != "other" {
			intent, intentConf = i, conf
			break
		}
	}
	if intent != "other" && fresh.IntentSource != "agent" {
		if err := s.Inbox.SetDetectedIntent(ctx, c.ID, intent); err != nil {
			return err
		}
	}
	turn := store.BotTurn{ID: kefu.NewID(), ConversationID: c.ID, MessageID: m.ID, Question: text, Intent: intent,
		Angry: s.models().Angry(said), CreatedAt: s.Clock.Now()}
	handoff := func(reason string) error {
		turn.Outcome, turn.Reason = "handoff", reason
		if err := s.DB.InsertBotTurn(ctx, turn); err != nil {
			return err
		}
		notice := p.handoff
		if reason == "asked_for_human" {
			notice = p.askedHuman
		}
		closed, err := s.closedNotice(ctx, fresh.TeamID, p)
		if err != nil {
			return err
		}
		switch {
		case closed != "":
			notice = closed
		case !s.Bus.AgentsOnline():
			notice = p.offline
		}
		return s.Inbox.HandOff(ctx, c.ID, inbox.Handoff{Reason: reason, Intent: intent, Angry: turn.Angry,
			Confidence: turn.Confidence, Notice: notice, Summary: summary(reason, intent, intentConf, turn.Angry, said)})
	}
	switch {
	case humanWords.MatchString(text):
		return handoff("asked_for_human")
	case turn.Angry:
		return handoff("angry")
	case intent == "complaint":
		return handoff("complaint")
	}
	recent, err := s.DB.RecentBotTurns(ctx, c.ID, 2)
	if err != nil {
		return err
	}
	if len(recent) == 2 && notHelped(recent[0]) && notHelped(recent[1]) {
		return handoff("not_helpful")
	}
	var last *store.BotTurn
	if len(recent) > 0 {
		last = &recent[0]
	}
	name, res, err := s.runActions(ctx, ActionRequest{Conversation: fresh, Message: m, Said: said, Intent: intent, Lang: lang, Last: last})
	if err != nil {
		return err
	}
	if res.HandOff != "" {
		return handoff(res.HandOff)
	}
	if res.Reply != "" {
		reply, err := s.Inbox.BotReply(ctx, c.ID, res.Reply+"\n\n"+p.didHelp)
		if err != nil {
			return err
		}
		turn.Outcome, turn.Reason, turn.ReplyID, turn.Confidence = "action", name, reply.ID, intentConf
		return s.DB.InsertBotTurn(ctx, turn)
	}
	inb, err := s.DB.Inbox(ctx, c.InboxID)
	if err != nil {
		return err
	}
	threshold := inb.BotThreshold
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	hits, err := s.KB.Search(ctx, lang, text, 1)
	if err != nil {
		return err
	}
	if len(hits) == 0 || hits[0].FAQ == nil || hits[0].Confidence < threshold {
		if len(hits) > 0 {
			turn.Confidence = hits[0].Confidence
		}
		return handoff("low_confidence")
	}
	cfg, err := s.Settings.Current(ctx)
	if err != nil {
		return err
	}
	answer := cfg.ShopVariables(hits[0].FAQ.Answer) + "\n\n" + p.didHelp
	if generated, ok := s.generate(ctx, cfg, text, lang, p); ok {
		answer, turn.Reason = generated+"\n\n"+p.didHelp, "generated"
	}
	reply, err := s.Inbox.BotReply(ctx, c.ID, answer)
	if err != nil {
		return err
	}
	turn.Outcome, turn.ReplyID, turn.FAQID, turn.Confidence = "answered", reply.ID, hits[0].FAQ.ID, hits[0].Confidence
	return s.DB.InsertBotTurn(ctx, turn)
}

// closedNotice is what the customer is told when the team is outside its
// business hours, or "" when it is open.
func (s *Service) closedNotice(ctx context.Context, teamID string, p phrases) (string, error) {
	if s.OpenNow == nil {
		return "", nil
	}
	open, next, err := s.OpenNow(ctx, teamID)
	if err != nil || open {
		return "", err
	}
	cfg, err := s.Settings.Current(ctx)
	if err != nil {
		return "", err
	}
	if loc, err := time.LoadLocation(cfg.TimeZone); err == nil {
		next = next.In(loc)
	}
	return fmt.Sprintf(p.closed, cfg.ShopHours, next.Format(p.opens)), nil
}

// generate phrases an answer from the best knowledge passages when
// generative answers are on. Any failure — the endpoint, an answer the
// passages do not support, a promise they do not make — keeps the FAQ
// answer; it is logged, not shown.
func (s *Service) generate(ctx context.Context, cfg kefu.Settings, question, lang string, p phrases) (string, bool) {
	if s.Generate == nil || !cfg.LLMEnabled {
		return "", false
	}
	hits, err := s.KB.Search(ctx, lang, question, 3)
	if err != nil || len(hits) == 0 {
		return "", false
	}
	var passages []llm.Passage
	titles := map[string]string{}
	for _, h := range hits {
		switch {
		case h.FAQ != nil:
			passages = append(passages, llm.Passage{ID: h.FAQ.ID, Title: h.FAQ.Question, Text: cfg.ShopVariables(h.FAQ.Answer)})
			titles[h.FAQ.ID] = h.FAQ.Question
		case h.Article != nil:
			passages = append(passages, llm.Passage{ID: h.Article.ID, Title: h.Article.Title, Text: cfg.ShopVariables(h.Article.Body)})
			titles[h.Article.ID] = h.Article.Title
		}
	}
	answer, err := s.Generate(ctx, question, lang, passages)
	if err != nil {
		s.Log.Warn("generative answer not used; answering from the FAQ", "err", err)
		return "", false
	}
	var cited []string
	for _, id := range answer.Citations {
		cited = append(cited, titles[id])
	}
	return answer.Text + "\n" + p.sources + strings.Join(cited, p.sep), true
}

// notHelped reports an answered turn the customer said did not help, or a
// question the customer had to ask again (no feedback, answered again).
func notHelped(t store.BotTurn) bool {
	return t.Outcome == "answered" && t.Helpful != nil && !*t.Helpful
}

// intentNames are the intents as an agent reads them.
var intentNames = map[string]string{"presale": "售前咨询", "order": "订单", "logistics": "物流", "return_refund": "售后退换",
	"quality": "质量问题", "repair_install": "维修安装", "payment": "支付", "invoice": "发票", "promotion": "优惠活动",
	"account": "账户", "complaint": "投诉", "other": "其他"}

var reasonNames = map[string]string{"asked_for_human": "客户要求人工", "angry": "客户情绪激动", "complaint": "投诉",
	"low_confidence": "知识库没有把握回答", "not_helpful": "连续两次回答没有帮助", "bot_error": "机器人出错"}

// summary is the note the agent reads first at handoff.
func summary(reason, intent string, conf float64, angry bool, said []string) string {
	mood := "平稳"
	if angry {
		mood = "愤怒，已设为紧急"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "机器人转人工：%s。识别意图：%s（%.0f%%），情绪：%s。", reasonNames[reason], intentNames[intent], conf*100, mood)
	if len(said) > 0 {
		b.WriteString("\n客户说：")
		for i, t := range said {
			if i > 0 {
				b.WriteString(" / ")
			}
			b.WriteString(t)
		}
	}
	return b.String()
}

// Rules is the built-in understanding: keyword rules, used until a trained
// model is loaded.
type Rules struct{}

var intentRules = []struct {
	intent string
	re     *regexp.Regexp
}{
	{"complaint", regexp.MustCompile(`投诉|12315|举报|差评|维权|complain`)},
	{"quality", regexp.MustCompile(`坏了|破损|质量|瑕疵|少发|漏发|发错|不能用|defect|broken|damaged`)},
	{"invoice", regexp.MustCompile(`发票|专票|普票|抬头|invoice|receipt`)},
	{"return_refund", regexp.MustCompile(`退货|退款|换货|七天无理由|退钱|refund|return`)},
	{"logistics", regexp.MustCompile(`快递|物流|到哪|发货|配送|送达|运费|parcel|delivery|shipping|tracking`)},
	{"payment", regexp.MustCompile(`支付|付款|白条|花呗|扣款|分期|pay|charged`)},
	{"promotion", regexp.MustCompile(`优惠|券|价保|满减|活动|赠品|积分|coupon|discount`)},
	{"order", regexp.MustCompile(`订单|取消|改地址|修改|下单|cancel|order`)},
	{"account", regexp.MustCompile(`账号|密码|登录|会员|绑定|account|password|login`)},
	{"repair_install", regexp.MustCompile(`维修|保修|安装|售后上门|repair|warranty|install`)},
	{"presale", regexp.MustCompile(`有货|库存|尺码|参数|区别|推荐|哪款|stock|size|which`)},
}

// Intent returns the first matching rule's intent, else other.
func (Rules) Intent(text string) (string, float64) {
	low := strings.ToLower(text)
	for _, r := range intentRules {
		if r.re.MatchString(low) {
			return r.intent, 0.5
		}
	}
	return "other", 0.2
}

var angerWords = regexp.MustCompile(`太差|垃圾|扯淡|骗子|坑人|什么破|气死|恶心|投诉|12315|差评|举报|滚|(?i)terrible|worst|scam|ridiculous`)
var shouting = regexp.MustCompile(`[!！]{3,}|[?？]{4,}`)

// Angry follows the anger rules of the intent taxonomy: explicit negative
// judgements, threats to complain, insults, runs of !!! or ????.
func (Rules) Angry(messages []string) bool {
	for _, m := range messages {
		if angerWords.MatchString(m) || shouting.MatchString(m) {
			return true
		}
	}
	return false
}

// Angry reports whether a customer message shows anger, by the loaded models.
func (s *Service) Angry(text string) bool { return s.models().Angry([]string{text}) }

// Unanswered lists what customers asked in the last days that the bot could
// not answer, most frequent first, to fill the knowledge base. Requires kb.manage.
func (s *Service) Unanswered(ctx context.Context, days int) ([]store.UnansweredQuestion, error) {
	if _, err := kefu.Require(ctx, kefu.PermKBManage); err != nil {
		return nil, err
	}
	if days <= 0 || days > 365 {
		days = 30
	}
	list, err := s.DB.UnansweredQuestions(ctx, s.Clock.Now().AddDate(0, 0, -days), 100)
	if list == nil {
		list = []store.UnansweredQuestion{}
	}
	return list, err
}

// Models is the understanding of kefu's shipped language models: a trained
// intent classifier and the anger detector (see docs/bot-quality.md).
type Models struct {
	IntentModel interface {
		Predict(text string) (string, float64)
	}
	AngerModel interface {
		Angry(messages []string) (bool, float64)
	}
}

// Intent classifies with the trained model.
func (m Models) Intent(text string) (string, float64) { return m.IntentModel.Predict(text) }

// Angry asks the anger detector.
func (m Models) Angry(messages []string) bool {
	angry, _ := m.AngerModel.Angry(messages)
	return angry
}
