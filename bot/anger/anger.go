// Package anger flags customers who are clearly angry, following kefu's
// taxonomy (shared/taxonomy.md, rules 8 and 9): explicit negative
// judgements, threats of a bad review, a complaint or 12315, put-downs by
// comparison with rivals, insults, and runs of at least three "!" or four
// "?". Impatient urging ("快点啊", "等半天了") and mild disappointment are
// not anger.
//
// The detector is a list of weighted cues written by hand. A learned model
// (bot/classify) can be attached to add evidence the cues miss, but kefu's
// default detector leaves it off: anger is rare (one session in twenty-five
// in real chats) and a model trained on a few dozen angry examples learns
// topic words and raises false alarms (docs/bot-quality.md).
package anger

import (
	"math"
	"regexp"
	"strings"

	"kefu/bot/classify"
	"kefu/bot/textfeat"
)

// Cue is one sign of anger and how much it counts. Weight 1 or more is
// enough on its own; smaller weights need company.
type Cue struct {
	Name    string
	Pattern *regexp.Regexp
	Weight  float64
	// Amplifier cues (a single "!") count only when another cue matched
	// the same message: "好的，谢谢!" is not angry, "这么慢!" is.
	Amplifier bool
}

func cue(name string, weight float64, pattern string) Cue {
	return Cue{Name: name, Pattern: regexp.MustCompile(pattern), Weight: weight}
}

func amplifier(name string, weight float64, pattern string) Cue {
	c := cue(name, weight, pattern)
	c.Amplifier = true
	return c
}

// Cues are kefu's anger rules, strongest first. Patterns run on text after
// full-width punctuation is folded to ASCII and Latin letters are
// lower-cased.
var Cues = []Cue{
	// Rule 9: runs of "!" and "?". Mixed runs such as "?!?!" count too.
	cue("exclamations", 1, `!{3,}|[!?]{4,}.*!|![!?]{3,}`),
	cue("questions", 1, `\?{4,}`),
	// Threats: a complaint to a regulator, a bad review, the police, the media.
	cue("threat", 1, `12315|消协|消费者协会|工商局|市场监管|报警|起诉|律师函|曝光|找媒体|差评|给.{0,4}差评|举报你|告你们`),
	cue("complain", 1, `(我要|我会|我去|必须|马上|直接|我就|我已经|要去|去)投诉|投诉(你们|他|她|这个|到|了)`),
	// Explicit negative judgements.
	cue("judgement", 1, `太差|真差|很差|好差|差劲|差到|极差|最差|扯淡|扯犊子|瞎扯|套路|鸟用|垃圾|坑人|太坑|真坑|坑爹|坑死|骗子|骗人|欺骗|诈骗|忽悠|耍我|耍人|玩我|什么鬼|搞什么|搞什么鬼|过分|离谱|恶心|无耻|不要脸|流氓|黑心|奸商|狗屁|破(服务|物流|快递|东西|质量|平台|店|玩意)|烂(服务|东西|货|透)|什么玩意|太(失望|让人失望)|(很|好|非常|真|特别|彻底)失望|失望(透顶|至极)|太狗血|狗血|气死|气人|受够|忍无可忍|忍受不了|岂有此理|无法忍受|不敢相信你们|不敢(在|从)?.{0,4}买|再也不(买|来|用)|不会再(买|来)|一星|负分|没有诚信|不讲信用|不守信用|效率(太|真|这么)低|专业水平.{0,3}低|这么低|要疯|疯了|崩溃|太慢了吧|慢得要死|慢死了|服务.{0,3}(太|真|好|很)?(差|烂)|态度.{0,4}(差|恶劣|不好)|恶劣|蛮横|不负责任|不作为|踢皮球|推卸|敷衍|糊弄|坑`),
	// Insults.
	cue("insult", 1, `眼瞎|瞎了|脑子|白痴|傻逼|傻b|sb|煞笔|智障|弱智|废物|滚|妈的|他妈|tmd|nmd|尼玛|你妹|混蛋|王八|狗东西|去死|sh[i1]t|fuck|damn|stupid|idiot|useless|terrible|worst|ridiculous|scam|unacceptable`),
	// Put-downs by comparison with rivals.
	cue("rival", 1, `(还不如|不如|比不上|远不如)(去|到|在|用)?(淘宝|天猫|拼多多|苏宁|唯品会|国美|亚马逊|别家|人家)|(淘宝|天猫|拼多多|苏宁|亚马逊).{0,6}(都比|比你们|好多了|强多了)`),
	cue("useless", 1, `有什么用|有啥用|一点用(都|也)没有|没什么用|屁用|什么都没帮|啥都没帮|很不满意|非常不满意|极不满意|太不满意|赶出去|滚出|黑名单`),
	// Weaker signs: rhetorical questions of blame, "never again" moods,
	// and a single "!" (which only adds to other signs).
	amplifier("exclaim", 0.5, `!`),
	cue("blame", 0.5, `凭什么|你们(到底|究竟)|什么(意思|态度)|怎么回事啊?!|有没有人管|还要等多久|说了(多少|几|好几|三|n)(遍|次)|第[二三四五几]次|多少次了|一直没人|没人管|都不管|没人理|不理人|讲不讲理|给个说法|给我个说法`),
	cue("disappointed", 0.5, `失望|无语|郁闷|醉了|呵呵|服了|算了吧|太慢|这么慢|从来没有这么|不敢|怕了|头大|不满意|太麻烦|麻烦死`),
}

// Detector decides whether a customer is angry.
type Detector struct {
	Cues []Cue
	// Threshold is the score at or above which Angry reports true; 0
	// means 1, one strong cue or two weak ones.
	Threshold float64
	// Model, when set, adds its probability of anger (times ModelWeight) to
	// the cue score of each message.
	Model       *classify.Model
	ModelWeight float64
}

// New returns a detector with kefu's cues and no learned model.
func New() *Detector {
	return &Detector{Cues: Cues, Threshold: 1}
}

// normalize folds full-width characters and lower-cases, so "！！！" and
// "!!!" match the same cue.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(textfeat.Fold(r))
	}
	return b.String()
}

// exempt matches impatient urging and phrases whose words look like cues
// but are not anger (taxonomy rule 8): "差价" is a price difference, "投诉
// 电话" a question, "不坑" praise.
var exempt = regexp.MustCompile(`差价|差额|差不多|相差|差几|差了?\d|差点|差[一二三四五六七八九十几\d]|投诉(电话|渠道|方式|入口|流程|怎么)|怎么投诉|如何投诉|可以投诉|能投诉|投诉吗|不坑|坑位|没有差评|不是差评|给.{0,2}好评|坑洼`)

// MessageScore returns the cue score of one message and the names of the
// cues that matched.
func (d *Detector) MessageScore(msg string) (float64, []string) {
	text := normalize(msg)
	text = exempt.ReplaceAllString(text, " ")
	var score, amplify float64
	var names []string
	for _, c := range d.Cues {
		if !c.Pattern.MatchString(text) {
			continue
		}
		names = append(names, c.Name)
		if c.Amplifier {
			amplify += c.Weight
		} else {
			score += c.Weight
		}
	}
	if score > 0 {
		score += amplify
	}
	if d.Model != nil && d.ModelWeight > 0 {
		f := Features(msg)
		if len(f) > 0 {
			p := d.Model.Probabilities(f)
			for i, l := range d.Model.Labels {
				if l == "angry" {
					score += d.ModelWeight * p[i]
				}
			}
		}
	}
	return score, names
}

// Angry reports whether the customer who wrote messages (in order) is
// angry, and a score in [0, 1): the strongest message's evidence squashed
// by 1-exp(-x), so one strong cue gives about 0.63 and two give 0.86.
func (d *Detector) Angry(messages []string) (bool, float64) {
	best, total := 0.0, 0.0
	for _, m := range messages {
		s, _ := d.MessageScore(m)
		best = math.Max(best, s)
		total += s
	}
	threshold := d.Threshold
	if threshold <= 0 {
		threshold = 1
	}
	// Weak cues spread over several messages add up too, at a discount:
	// two mild remarks in one message say more than two far apart.
	score := math.Max(best, 0.75*total)
	return score >= threshold, 1 - math.Exp(-score)
}

// Angry runs kefu's default cues (no learned model) over messages.
func Angry(messages []string) (bool, float64) {
	return New().Angry(messages)
}

// Features are the learned component's features of a message: character
// 1–2-grams and the "!"/"?" units.
func Features(msg string) []string {
	return textfeat.Extract(msg, textfeat.Options{MaxN: 2, NoBoundary: true})
}

// Example is one message labelled angry or not.
type Example struct {
	Text  string
	Angry bool
}

// Train fits the learned component on examples and attaches it with the
// given weight.
func (d *Detector) Train(examples []Example, weight float64) {
	var docs []classify.Doc
	for _, ex := range examples {
		label := "calm"
		if ex.Angry {
			label = "angry"
		}
		docs = append(docs, classify.Doc{Features: Features(ex.Text), Label: label})
	}
	d.Model = classify.Train(docs, classify.Options{Epochs: 20, L2: 1e-4, BalanceClasses: true})
	d.ModelWeight = weight
}
