package llm

import (
	"fmt"
	"strings"
)

// NoAnswer is what the model is told to reply, and only that, when the
// passages do not answer the question. A fixed token is easy to detect;
// "sorry, I don't know" in two languages is not.
const NoAnswer = "NO_ANSWER"

// The rules in the prompts are the model's half of the contract; check
// enforces the same rules on the reply, since a model does not always obey.
const systemZH = `你是电商店铺的在线客服助手。
规则：
1. 只能根据用户消息中编号的资料回答顾客的问题，不要使用资料以外的知识，也不要猜测。
2. 每句用到资料的话后面用方括号标注资料编号，例如 [1] 或 [1][2]。
3. 如果资料中没有这个问题的答案，只回复 ` + NoAnswer + `，不要回复其他任何内容。
4. 除非资料中明确写明，否则绝不承诺退款、赔偿、补偿、返现、红包、优惠券或任何金额。
5. 用简体中文回答，简洁、礼貌。`

const systemEN = `You are the customer-service assistant of an online shop.
Rules:
1. Answer the customer's question ONLY from the numbered passages in the user message. Do not use any other knowledge and do not guess.
2. Cite the passages you use inline, right after the sentence, as [1] or [1][2].
3. If the passages do not contain the answer, reply exactly ` + NoAnswer + ` and nothing else.
4. Never promise a refund, compensation, cash back, red packet, voucher, coupon or any amount of money unless a passage states it.
5. Answer in English, briefly and politely.`

func isChinese(lang string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(lang)), "zh")
}

func systemPrompt(lang string) string {
	if isChinese(lang) {
		return systemZH
	}
	return systemEN
}

// userPrompt puts the passages first, numbered from 1 as the model must
// cite them, and the question last, where models pay most attention.
func userPrompt(question, lang string, passages []Passage) string {
	passagesLabel, questionLabel := "Passages:", "Customer question: "
	if isChinese(lang) {
		passagesLabel, questionLabel = "资料：", "顾客问题："
	}
	var b strings.Builder
	b.WriteString(passagesLabel)
	b.WriteString("\n\n")
	for i, p := range passages {
		fmt.Fprintf(&b, "[%d] %s\n%s\n\n", i+1, strings.TrimSpace(p.Title), strings.TrimSpace(p.Text))
	}
	b.WriteString(questionLabel)
	b.WriteString(strings.TrimSpace(question))
	return b.String()
}
