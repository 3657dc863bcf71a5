// Package demo fills an empty workspace with a demo team so a newcomer can
// sign in and look around: an admin, a supervisor, three agents, the teams
// 售前/售后/投诉 and a dozen customers with Chinese names and phone numbers.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"kefu"
	"kefu/app"
	"kefu/auth"
	"kefu/calendar"
	inboxpkg "kefu/inbox"
)

// AdminEmail is the demo admin's sign-in.
const AdminEmail = "admin@kefu.local"

// Result tells what Seed did. AdminPassword is only set when Seed created
// the admin, so it can be shown once.
type Result struct {
	Created       bool
	AdminEmail    string
	AdminPassword string
}

type person struct{ email, name, role string }

var staff = []person{
	{AdminEmail, "系统管理员", kefu.RoleAdmin},
	{"supervisor@kefu.local", "王主管", kefu.RoleSupervisor},
	{"li.na@kefu.local", "李娜", kefu.RoleAgent},
	{"zhang.wei@kefu.local", "张伟", kefu.RoleAgent},
	{"chen.jing@kefu.local", "陈静", kefu.RoleAgent},
}

var teams = []struct {
	name, description string
	members           []string
}{
	{"售前", "Pre-sale: products, stock, prices, which model to buy", []string{"li.na@kefu.local", "zhang.wei@kefu.local"}},
	{"售后", "After-sale: returns, refunds, repairs, logistics", []string{"zhang.wei@kefu.local", "chen.jing@kefu.local"}},
	{"投诉", "Complaints and escalations", []string{"supervisor@kefu.local", "chen.jing@kefu.local"}},
	{"VIP", "Gold and platinum members", []string{"li.na@kefu.local", "supervisor@kefu.local"}},
}

// The numbers are in ranges no operator assigns to subscribers.
var customers = []kefu.Contact{
	{Name: "张三", Phone: "13800138001", Email: "zhangsan@example.com", Address: "上海市浦东新区张江路88号3栋502", Tags: []string{"VIP"}, ShopUserID: "u10001",
		Attributes: map[string]string{"vip_tier": "gold"}},
	{Name: "李四", Phone: "13900139002", Email: "lisi@example.com", Address: "北京市朝阳区建国路1号", ShopUserID: "u10002"},
	{Name: "王芳", Phone: "13700137003", Address: "广东省深圳市南山区科技园南路15号", Tags: []string{"复购"}, ShopUserID: "u10003"},
	{Name: "刘洋", Phone: "13600136004", Email: "liuyang@example.com", Address: "浙江省杭州市西湖区文三路20号", ShopUserID: "u10004"},
	{Name: "陈晨", Phone: "15000150005", Address: "江苏省南京市鼓楼区中山路100号", Tags: []string{"VIP"}, ShopUserID: "u10005",
		Attributes: map[string]string{"vip_tier": "gold"}},
	{Name: "杨静", Phone: "15100151006", Email: "yangjing@example.com", Address: "四川省成都市武侯区天府大道北段", ShopUserID: "u10006"},
	{Name: "赵磊", Phone: "15800158007", Address: "湖北省武汉市洪山区珞喻路1037号", Tags: []string{"投诉过"}, ShopUserID: "u10007"},
	{Name: "黄敏", Phone: "18600186008", Email: "huangmin@example.com", Address: "福建省厦门市思明区湖滨南路", ShopUserID: "u10008"},
	{Name: "周杰", Phone: "18800188009", Address: "山东省青岛市市南区香港中路", ShopUserID: "u10009"},
	{Name: "吴婷", Phone: "17700177010", Email: "wuting@example.com", Address: "陕西省西安市雁塔区小寨东路", Tags: []string{"企业采购"}, ShopUserID: "u10010"},
	{Name: "郑浩", Phone: "19900199011", Address: "重庆市渝中区解放碑步行街", ShopUserID: "u10011"},
	{Name: "孙丽", Phone: "13500135012", Email: "sunli@example.com", Address: "天津市和平区南京路", Tags: []string{"VIP", "复购"}, ShopUserID: "u10012",
		Attributes: map[string]string{"vip_tier": "platinum"}},
}

// shopHours are the demo's business hours: every day 09:00–22:00, as the
// default shop_hours setting says. Holidays are left to the admin, who
// imports the year's official schedule.
var shopHours = func() calendar.Calendar {
	day := []calendar.Shift{{Start: "09:00", End: "22:00"}}
	week := map[string][]calendar.Shift{}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		week[d] = day
	}
	return calendar.Calendar{TimeZone: calendar.DefaultTimeZone, Weekly: week}
}()

// Seed creates the demo workspace if the database has no users yet; it does
// nothing to a workspace in use.
func Seed(ctx context.Context, a *app.App) (Result, error) {
	n, err := a.DB.CountUsers(ctx)
	if err != nil || n > 0 {
		return Result{}, err
	}
	ctx = app.System(ctx, "kefu demo")
	res := Result{Created: true, AdminEmail: AdminEmail}
	ids := map[string]string{}
	for _, p := range staff {
		pw := randomPassword()
		if p.email == AdminEmail {
			res.AdminPassword = pw
		}
		u, err := a.Auth.CreateUser(ctx, auth.NewUser{Email: p.email, Name: p.name, Role: p.role, Password: pw})
		if err != nil {
			return res, err
		}
		ids[p.email] = u.ID
	}
	teamIDs := map[string]string{}
	for _, t := range teams {
		team := kefu.Team{ID: kefu.NewID(), Name: t.name, Description: t.description, CreatedAt: a.Clock.Now()}
		teamIDs[t.name] = team.ID
		for _, m := range t.members {
			team.MemberIDs = append(team.MemberIDs, ids[m])
		}
		if err := a.DB.InsertTeam(ctx, team); err != nil {
			return res, err
		}
	}
	// Rules and hours before the first conversations, which they act on.
	if err := a.Automation.EnsureDefaults(ctx, teamIDs["投诉"], teamIDs["VIP"]); err != nil {
		return res, err
	}
	if _, err := a.SLA.PutCalendar(ctx, "", "客服工作时间", true, shopHours); err != nil {
		return res, err
	}
	var contactIDs []string
	for _, c := range customers {
		ct, err := a.Contacts.Create(ctx, c)
		if err != nil {
			return res, err
		}
		contactIDs = append(contactIDs, ct.ID)
	}
	if err := seedChat(ctx, a, teamIDs["售前"], contactIDs); err != nil {
		return res, err
	}
	loaded, err := a.KB.LoadDefaults(ctx)
	if err != nil {
		return res, err
	}
	if len(loaded.Problems) > 0 {
		return res, fmt.Errorf("default knowledge base: %s: %s", loaded.Problems[0].Item, loaded.Problems[0].Message)
	}
	return res, nil
}

var canned = []kefu.CannedReply{
	{Shortcut: "问候", Title: "开场问候", Content: "{{contact.name}}您好，我是客服{{agent.name}}，很高兴为您服务！请问有什么可以帮您？"},
	{Shortcut: "快递", Title: "物流查询", Content: "亲，您的订单已发货，物流单号可在「我的订单」中查看，一般 2–3 天送达，请耐心等待哦。"},
	{Shortcut: "退货", Title: "七天无理由退货", Content: "亲，签收次日起 7 天内，商品完好可享受七天无理由退货。请在「我的订单」中申请退货，审核通过后按页面提示寄回即可。"},
	{Shortcut: "发票", Title: "开具发票", Content: "亲，订单完成后可在「我的订单-申请发票」中开具电子发票，支持个人和企业抬头。"},
	{Shortcut: "结束", Title: "结束语", Content: "感谢您的耐心，祝您生活愉快！如还有问题随时联系我们。"},
}

var chats = []struct {
	customer int
	lines    []string
}{
	{0, []string{"你好，我的快递到哪了？订单号 20261120001", "三天了还没到"}},
	{2, []string{"这款耳机支持降噪吗？续航多久？"}},
	{6, []string{"收到的杯子有裂纹，要求退货退款！"}},
}

// seedChat creates the demo web chat inbox, canned replies and a few
// conversations waiting for an answer.
func seedChat(ctx context.Context, a *app.App, teamID string, contactIDs []string) error {
	inbox, err := a.Webchat.CreateInbox(ctx, kefu.Inbox{Name: "官网在线客服", TeamID: teamID,
		Greeting:       "您好，欢迎光临优选生活馆！请问有什么可以帮您？",
		OfflineMessage: "客服暂时不在线（工作时间 9:00–22:00），请留下联系方式，我们会尽快回复您。",
		PrechatEnabled: false, PrechatFields: []string{"name", "phone", "order_no"}, ReopenHours: 72})
	if err != nil {
		return err
	}
	for _, c := range canned {
		c.Scope = "shared"
		if _, err := a.Canned.Create(ctx, c); err != nil {
			return err
		}
	}
	for _, chat := range chats {
		for i, line := range chat.lines {
			if _, _, err := a.Inbox.Ingest(ctx, inboxpkg.IncomingMessage{InboxID: inbox.ID, ContactID: contactIDs[chat.customer],
				ClientID: fmt.Sprintf("demo-%d-%d", chat.customer, i), Text: line}); err != nil {
				return err
			}
		}
	}
	return nil
}

func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
