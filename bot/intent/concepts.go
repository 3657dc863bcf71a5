package intent

import "strings"

// concepts groups words that mean the same thing to a customer-service desk
// under one feature name. A linear model learns one weight for "@refund"
// from every example that says 退款, 退钱 or 钱退, instead of one weight per
// spelling, which matters when an intent has only dozens of examples.
// The lists are kefu's own domain knowledge, not learned from any data set.
var concepts = map[string][]string{
	"@invoice":   {"发票", "专票", "增票", "普票", "开票", "抬头", "税号", "报销", "增值税", "invoice", "receipt", "vat"},
	"@pricepro":  {"价保", "保价", "价格保护", "差价", "降价", "便宜了", "降了"},
	"@coupon":    {"优惠券", "优惠", "券", "满减", "减免", "折扣", "打折", "半价", "红包", "返现", "返利", "coupon", "discount"},
	"@gift":      {"赠品", "送的", "赠送", "礼品", "满赠", "积分", "京豆", "抽奖"},
	"@account":   {"账号", "帐号", "账户", "帐户", "登录", "登陆", "密码", "验证码", "绑定", "解绑", "实名", "注销", "login", "password", "account"},
	"@member":    {"plus", "会员", "会籍"},
	"@pay":       {"支付", "付款", "扣款", "扣钱", "扣了", "刷卡", "转账", "汇款", "payment", "charged", "pay"},
	"@paytool":   {"白条", "分期", "余额", "提现", "e卡", "京东卡", "礼品卡", "银行卡", "信用卡", "微信支付", "支付宝", "钱包", "小金库"},
	"@install":   {"安装", "装机", "上门装", "组装", "装好", "来装", "install"},
	"@repair":    {"维修", "修理", "保修", "报修", "送修", "返修", "修好", "延保", "售后网点", "repair", "warranty"},
	"@defect":    {"坏", "破", "碎", "裂", "漏", "质量", "假货", "次品", "瑕疵", "划痕", "不亮", "没反应", "异响", "噪音", "过期", "变质", "烂", "臭", "掉色", "开胶", "不制冷", "不加热", "充不", "黑屏", "broken", "defective", "damaged"},
	"@missing":   {"少了", "少发", "漏发", "少一", "缺件", "少东西", "只收到", "没收到这", "缺了", "missing"},
	"@wrongitem": {"发错", "错发", "不一样", "描述不符", "不符", "wrong item"},
	"@return":    {"退货", "换货", "退换", "退掉", "退了", "寄回", "无理由", "不合适", "return", "exchange"},
	"@refund":    {"退款", "退钱", "钱退", "退回", "到账", "refund"},
	"@aftersale": {"售后", "服务单", "取件", "上门取", "审核"},
	"@order":     {"订单", "下单", "单子", "这单", "order"},
	"@cancel":    {"取消", "撤单", "拦截", "不要了", "不想要", "cancel"},
	"@change":    {"修改", "改一下", "改下", "改成", "更改", "换成", "填错", "写错", "搞错", "留错", "change"},
	"@address":   {"地址", "收货人", "收件人", "门牌", "address"},
	"@phone":     {"电话", "手机号", "号码", "联系方式", "phone"},
	"@stock":     {"有货", "没货", "无货", "缺货", "库存", "补货", "到货", "stock"},
	"@ship":      {"发货", "出库", "发出", "揽收", "仓库", "shipped", "ship"},
	"@deliver":   {"物流", "快递", "送货", "配送", "派送", "送到", "送来", "签收", "自提", "驿站", "快递员", "配送员", "运单", "包裹", "到哪", "清关", "delivery", "deliver", "package", "courier", "tracking"},
	"@fee":       {"运费", "包邮", "邮费", "shipping"},
	"@when":      {"什么时候", "多久", "几天", "何时", "啥时候", "几号", "哪天", "预计", "when"},
	"@hurry":     {"催", "快点", "加急", "急用", "尽快", "赶紧"},
	"@complain":  {"投诉", "举报", "纠纷", "态度", "主管", "领导", "12315", "消协", "曝光", "申诉", "complaint", "manager"},
	"@spec":      {"区别", "型号", "尺寸", "尺码", "规格", "参数", "材质", "正品", "适合", "支持", "能用吗", "颜色", "多大", "功率", "推荐", "哪个好", "是不是", "有没有", "difference", "size", "spec"},
	"@merchant":  {"入驻", "商家后台", "店铺", "后台", "上架", "卖家", "开店", "供应商", "客户下单", "买家"},
	"@howto":     {"怎么用", "怎么调", "怎么设置", "如何使用", "使用方法", "说明书", "how to use"},
	"@review":    {"评价", "差评", "好评", "晒单", "review"},
}

// conceptFeatures returns "@name" for every concept that text mentions.
// text must already be lower-case where it matters (Latin words).
func conceptFeatures(text string) []string {
	lower := strings.ToLower(text)
	var out []string
	for name, words := range concepts {
		for _, w := range words {
			if strings.Contains(lower, w) {
				out = append(out, name)
				break
			}
		}
	}
	return out
}
