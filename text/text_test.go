package text_test

import (
	"reflect"
	"testing"

	"kefu/text"
)

func TestTerms(t *testing.T) {
	for in, want := range map[string][]string{
		"我的快递到哪了":                   {"我的", "的快", "快递", "递到", "到哪", "哪了"},
		"Where is my ORDER #12345?": {"where", "is", "my", "order", "12345"},
		"iPhone15 屏幕碎了，怎么办":         {"iphone15", "屏幕", "幕碎", "碎了", "怎么", "么办"},
		"好":                         {"好"},
		"":                          nil,
		"京东E卡余额":                    {"京东", "e", "卡余", "余额"},
	} {
		if got := text.Terms(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Terms(%q) = %q, want %q", in, got, want)
		}
	}
}
