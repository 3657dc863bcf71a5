package textfeat

import (
	"reflect"
	"testing"
)

func TestUnits(t *testing.T) {
	for in, want := range map[string][][]string{
		"我要退货":               {{"我", "要", "退", "货"}},
		"订单[订单x]没到！！":        {{"订", "单", "#order", "没", "到", "!", "!"}},
		"iPhone15 屏幕碎了，怎么办？": {{"iphone15"}, {"屏", "幕", "碎", "了"}, {"怎", "么", "办", "?"}},
		"cancel my order!":   {{"cancel", "my", "order", "!"}},
		"单号 123456789":       {{"单", "号"}, {NumberToken}},
		"":                   nil,
	} {
		if got := Units(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Units(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExtract(t *testing.T) {
	got := Extract("退货了", Options{MaxN: 3})
	want := []string{"退", "退货", "退货了", "货", "货了", "了", "^退", "了$", "^退货"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Extract = %q, want %q", got, want)
	}
	// Latin words are joined with a space inside n-grams, CJK without.
	got = Extract("cancel my order", Options{MaxN: 2, NoBoundary: true})
	want = []string{"cancel", "cancel my", "my", "my order", "order"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Extract = %q, want %q", got, want)
	}
}

func TestFoldAndChars(t *testing.T) {
	if Fold('？') != '?' || Fold('Ａ') != 'a' {
		t.Error("Fold does not map full-width forms")
	}
	if got := Chars("花呗[数字x]还款!"); !reflect.DeepEqual(got, []string{"花", "呗", "还", "款"}) {
		t.Errorf("Chars = %q", got)
	}
}
