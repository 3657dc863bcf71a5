package vault_test

import (
	"testing"

	"kefu"
	"kefu/vault"
)

type maskCase struct{ in, want string }

func runMask(t *testing.T, name string, f func(string) string, tests []maskCase) {
	t.Helper()
	for _, tt := range tests {
		if got := f(tt.in); got != tt.want {
			t.Errorf("%s(%q) = %q, want %q", name, tt.in, got, tt.want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	runMask(t, "MaskPhone", vault.MaskPhone, []maskCase{
		{"13812341234", "138****1234"},
		{"138-1234-1234", "138****1234"},
		{"+86 138 1234 1234", "138****1234"}, // the national number, not "861****1234"
		{"008613812341234", "138****1234"},
		{"+44 20 7946 0958", "442****0958"},
		{"010-12345678", "010****5678"},
		{"12345678", "****5678"}, // landline without area code
		{"1234567", "****4567"},
		{"123456", "****56"},
		{"95588", "****88"}, // 5 digits: at most the last 2
		{"1234", "****"},
		{"1", "****"},
		{"unknown", "****"}, // no digits: nothing to show, but not empty either
		{"", ""},
	})
}

func TestMaskName(t *testing.T) {
	runMask(t, "MaskName", vault.MaskName, []maskCase{
		{"张三丰", "张**"},
		{"张三", "张*"},
		{"欧阳娜娜", "欧***"},
		{"阿依古丽·买买提", "阿*******"}, // one star per hidden rune, the dot included
		{" 李四 ", "李*"},
		{"张", "*"}, // a lone character is the whole name
		{"김민수", "김**"},
		{"Alice Wang", "A***"},
		{"Al", "A***"}, // Latin names hide their length
		{"A", "***"},
		{"", ""},
		{"   ", ""},
	})
}

func TestMaskEmail(t *testing.T) {
	runMask(t, "MaskEmail", vault.MaskEmail, []maskCase{
		{"zhang@example.com", "z****@example.com"},
		{"Zhang.San@Example.com", "Z****@Example.com"},
		{"zs@qq.com", "z****@qq.com"},
		{"z@example.com", "****@example.com"}, // the first character would be all of it
		{"张三@例子.中国", "张****@例子.中国"},
		{"a@b@example.com", "a****@example.com"}, // the domain follows the last @
		{"zhang@", "z****@"},
		{"@example.com", "****"},
		{"not an email", "****"},
		{"", ""},
	})
}

func TestMaskIDCard(t *testing.T) {
	runMask(t, "MaskIDCard", vault.MaskIDCard, []maskCase{
		{"11010519491231002X", "1***************2X"},
		{"110105 19491231 002X", "1***************2X"},
		{"110105491231002", "1************02"}, // old 15-digit card
		{"E12345678", "E******78"},             // passport
		{"1234567", "****"},
		{"", ""},
	})
}

func TestMaskBankCard(t *testing.T) {
	runMask(t, "MaskBankCard", vault.MaskBankCard, []maskCase{
		{"6225880012341234", "622588******1234"},
		{"6225 8800 1234 1234", "622588******1234"},
		{"6225-8800-1234-1234", "622588******1234"},
		{"6217000010012345678", "621700*********5678"},
		{"62258800123412", "622588****3412"},
		{"6225880012341", "****2341"}, // too short to show both ends
		{"12345678", "****5678"},
		{"1234567", "****"},
		{"", ""},
	})
}

func TestMaskWeChat(t *testing.T) {
	runMask(t, "MaskWeChat", vault.MaskWeChat, []maskCase{
		{"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "oUpF****eS6o"},
		{"abcdefghijkl", "abcd****ijkl"},
		{"abcdefghijk", "****"},
		{"", ""},
	})
}

func TestMaskAddress(t *testing.T) {
	runMask(t, "MaskAddress", vault.MaskAddress, []maskCase{
		{"上海市浦东新区张江路88号", "上海市浦东新区********"},
		{"广东省深圳市南山区科技园1栋", "广东省深圳市南山区********"},
		{"北京市朝阳区建国路93号", "北京市朝阳区********"},
		{"内蒙古自治区呼和浩特市新城区新华大街1号", "内蒙古自治区呼和浩特市新城区********"},
		{"新疆维吾尔自治区乌鲁木齐市天山区解放北路", "新疆维吾尔自治区乌鲁木齐市天山区********"},
		{"广西壮族自治区南宁市青秀区民族大道", "广西壮族自治区南宁市青秀区********"},
		{"湖北省恩施土家族苗族自治州恩施市舞阳大街", "湖北省恩施土家族苗族自治州恩施市********"},
		{"甘肃省临夏回族自治州积石山保安族东乡族撒拉族自治县吹麻滩镇", "甘肃省临夏回族自治州积石山保安族东乡族撒拉族自治县********"},
		{"西藏自治区阿里地区噶尔县狮泉河镇", "西藏自治区阿里地区噶尔县********"},
		{"内蒙古自治区阿拉善盟阿拉善左旗巴彦浩特镇", "内蒙古自治区阿拉善盟阿拉善左旗********"},
		{"香港特别行政区九龙城区太子道", "香港特别行政区九龙城区********"},
		{"山东省济南市市中区经十路", "山东省济南市市中区********"},
		{"浙江省杭州市西湖区文三路", "浙江省杭州市西湖区********"},
		{"广东省 深圳市 南山区 科技园", "广东省深圳市南山区********"},
		{"广东省深圳市南山区", "广东省深圳市南山区********"}, // nothing after the divisions: same shape
		{"广东深圳南山区科技园", "广东深圳南山区********"},  // short province, city without 市
		{"深圳市南山区科技园", "深圳市南山区********"},    // no province
		{"吉林市船营区北京路", "吉林市船营区********"},    // the city 吉林市, not the province 吉林
		{"吉林省吉林市船营区北京路", "吉林省吉林市船营区********"},
		{"广东省深圳市菜市场8号", "广东省深圳市********"},  // 菜市 is not a county-level city
		{"广东省深圳市科技园区1栋", "广东省深圳市********"}, // nor is 园区 a district
		{"上海市张江高科技园区", "上海市********"},
		{"广东省南山区深南大道超市", "广东省南山区********"}, // a district before any 市: no city level
		{"阳光花园3栋201", "阳光花********"},       // no division: the first 3 runes
		{"北京路88号", "北京********"},           // read as the short province; still reveals less
		{"123 Main Street", "123********"},
		{"科技园", "********"}, // 3 runes or fewer: all hidden
		{"", ""},
	})
}

func TestMask(t *testing.T) {
	tests := []struct{ field, in, want string }{
		{kefu.FieldName, "张三丰", "张**"},
		{kefu.FieldPhone, "+86 13812341234", "138****1234"},
		{kefu.FieldEmail, "zhang@example.com", "z****@example.com"},
		{kefu.FieldAddress, "上海市浦东新区张江路88号", "上海市浦东新区********"},
		{kefu.FieldWeChat, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "oUpF****eS6o"},
		{vault.FieldIDCard, "11010519491231002X", "1***************2X"},
		{vault.FieldBankCard, "6225880012341234", "622588******1234"},
		{"name", "张三", "张*"}, // the field names are the plain strings
		{"id_card", "11010519491231002X", "1***************2X"},
		{"bank_card", "6225880012341234", "622588******1234"},
		{"note", "a secret", "****"}, // unknown field: fully masked
		{"", "a secret", "****"},
		{"note", "", ""},
		{kefu.FieldName, "", ""},
	}
	for _, tt := range tests {
		if got := vault.Mask(tt.field, tt.in); got != tt.want {
			t.Errorf("Mask(%q, %q) = %q, want %q", tt.field, tt.in, got, tt.want)
		}
	}
}

func BenchmarkMaskAddress(b *testing.B) {
	for b.Loop() {
		vault.MaskAddress("广东省深圳市南山区科技园1栋")
	}
}
