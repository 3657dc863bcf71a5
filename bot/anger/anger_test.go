package anger

import "testing"

func TestRules(t *testing.T) {
	for text, want := range map[string]bool{
		"你们这服务太差了，我要投诉到12315！！！":              true,
		"快点啊，等半天了":                            false,
		"等的花儿都谢了":                             false,
		"我晕":                                  false,
		"什么破物流，扯淡":                            true,
		"为什么还没发货????":                         true,
		"为什么还没发货???":                          false, // rule 9: "???" alone is not anger
		"好的!!!谢谢":                             true,  // rule 9 counts any run of three "!"
		"好的，谢谢!":                              false,
		"还不如去淘宝买":                             true,
		"能退差价吗":                               false,
		"投诉电话是多少":                             false,
		"不要了!这么慢!":                            true,
		"This is ridiculous, I want a refund": true,
	} {
		if got, score := Angry([]string{text}); got != want {
			t.Errorf("Angry(%q) = %v (%.2f), want %v", text, got, score, want)
		}
	}
}

func TestSessionAddsWeakCues(t *testing.T) {
	// Each message alone is only mildly unhappy; together they are anger.
	msgs := []string{"凭什么不给退", "太麻烦了", "真是无语"}
	if got, _ := Angry(msgs[:1]); got {
		t.Error("one weak cue flagged as angry")
	}
	if got, _ := Angry(msgs); !got {
		t.Error("three weak cues not flagged")
	}
}

func TestScoreRange(t *testing.T) {
	_, calm := Angry([]string{"你好，请问发票怎么开"})
	_, angry := Angry([]string{"垃圾服务！！！我要投诉"})
	if calm != 0 || angry <= 0.5 || angry >= 1 {
		t.Errorf("scores calm=%v angry=%v", calm, angry)
	}
}

func TestLearnedComponent(t *testing.T) {
	d := New()
	d.Train([]Example{{"气死我了", true}, {"太气人了", true}, {"好的谢谢", false}, {"发票怎么开", false}}, 1)
	if s, _ := d.MessageScore("气死了"); s <= 0 {
		t.Error("learned component adds nothing")
	}
}
