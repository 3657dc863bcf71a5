package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"kefu"
	"kefu/httpapi"
	"kefu/inbox"
	"kefu/store"
	"kefu/store/storetest"
)

// public marks an endpoint that needs no sign-in; signedIn one that any
// signed-in user may call (it acts on their own account only).
var (
	public   = []kefu.Permission{"public"}
	signedIn = []kefu.Permission{}
)

// endpointPermissions says which permissions let a caller use each endpoint
// (any one of them suffices). Every route must have a row: a new endpoint
// without one fails TestEveryEndpointIsInThePermissionTable.
var endpointPermissions = map[string][]kefu.Permission{
	"GET /api/v1/openapi.json": public,
	"POST /api/v1/auth/login":  public,
	"POST /api/v1/auth/logout": signedIn,

	"GET /api/v1/me":                    signedIn,
	"POST /api/v1/me/password":          signedIn,
	"GET /api/v1/me/sessions":           signedIn,
	"DELETE /api/v1/me/sessions/{id}":   signedIn,
	"POST /api/v1/me/2fa/enroll":        signedIn,
	"POST /api/v1/me/2fa/confirm":       signedIn,
	"POST /api/v1/me/2fa/disable":       signedIn,
	"GET /api/v1/me/notices":            signedIn,
	"POST /api/v1/me/notices/{id}/read": signedIn,
	"GET /api/v1/me/tokens":             signedIn,
	"POST /api/v1/me/tokens":            signedIn,
	"DELETE /api/v1/me/tokens/{id}":     signedIn,
	"GET /api/v1/permissions":           signedIn,
	"GET /api/v1/users":                 {kefu.PermUsersManage},
	"POST /api/v1/users":                {kefu.PermUsersManage},
	"GET /api/v1/users/{id}":            {kefu.PermUsersManage},
	"PATCH /api/v1/users/{id}":          {kefu.PermUsersManage},
	"POST /api/v1/users/{id}/password":  {kefu.PermUsersManage},
	"GET /api/v1/roles":                 {kefu.PermRolesManage, kefu.PermUsersManage},
	"POST /api/v1/roles":                {kefu.PermRolesManage},
	"PATCH /api/v1/roles/{name}":        {kefu.PermRolesManage},
	"DELETE /api/v1/roles/{name}":       {kefu.PermRolesManage},
	"GET /api/v1/contacts":              {kefu.PermContactsView},
	"POST /api/v1/contacts":             {kefu.PermContactsEdit},
	"GET /api/v1/contacts/{id}":         {kefu.PermContactsView},
	"POST /api/v1/contacts/{id}/reveal": {kefu.PermPIIReveal},
	"GET /api/v1/audit":                 {kefu.PermAuditRead},
	"POST /api/v1/audit/verify":         {kefu.PermAuditRead},
	"GET /api/v1/settings":              {kefu.PermSettingsManage},
	"PUT /api/v1/settings":              {kefu.PermSettingsManage},

	"GET /api/v1/conversations":                  viewConversations,
	"GET /api/v1/conversations/{id}":             viewConversations,
	"PATCH /api/v1/conversations/{id}":           {kefu.PermConversationsReply},
	"GET /api/v1/conversations/{id}/messages":    viewConversations,
	"POST /api/v1/conversations/{id}/messages":   {kefu.PermConversationsReply},
	"POST /api/v1/conversations/{id}/notes":      {kefu.PermConversationsReply},
	"GET /api/v1/conversations/{id}/events":      viewConversations,
	"POST /api/v1/conversations/{id}/assign":     {kefu.PermConversationsAssign},
	"POST /api/v1/conversations/{id}/transfer":   {kefu.PermConversationsAssign},
	"POST /api/v1/conversations/{id}/status":     {kefu.PermConversationsReply},
	"POST /api/v1/conversations/{id}/read":       viewConversations,
	"GET /api/v1/conversations/{id}/suggestions": {kefu.PermConversationsReply},
	"GET /api/v1/contacts/{id}/conversations":    viewConversations,
	"GET /api/v1/search":                         viewConversations,
	"GET /api/v1/agents":                         viewConversations,
	"GET /api/v1/teams":                          viewConversations,
	"POST /api/v1/uploads":                       {kefu.PermConversationsReply},
	"GET /api/v1/ws":                             viewConversations,
	"GET /api/v1/canned-replies":                 {kefu.PermConversationsReply},
	"POST /api/v1/canned-replies":                {kefu.PermCannedManage},
	"PATCH /api/v1/canned-replies/{id}":          {kefu.PermCannedManage},
	"DELETE /api/v1/canned-replies/{id}":         {kefu.PermCannedManage},
	"GET /api/v1/inboxes":                        {kefu.PermSettingsManage},
	"POST /api/v1/inboxes":                       {kefu.PermSettingsManage},
	"PATCH /api/v1/inboxes/{id}":                 {kefu.PermSettingsManage},
	"GET /api/v1/webhooks":                       {kefu.PermSettingsManage},
	"POST /api/v1/webhooks":                      {kefu.PermSettingsManage},
	"PATCH /api/v1/webhooks/{id}":                {kefu.PermSettingsManage},
	"DELETE /api/v1/webhooks/{id}":               {kefu.PermSettingsManage},
	"GET /api/v1/webhooks/{id}/deliveries":       {kefu.PermSettingsManage},

	"GET /api/v1/kb/articles":                 kbReaders,
	"POST /api/v1/kb/articles":                {kefu.PermKBManage},
	"GET /api/v1/kb/articles/{id}":            kbReaders,
	"PATCH /api/v1/kb/articles/{id}":          {kefu.PermKBManage},
	"DELETE /api/v1/kb/articles/{id}":         {kefu.PermKBManage},
	"GET /api/v1/kb/articles/{id}/revisions":  kbReaders,
	"GET /api/v1/kb/faqs":                     kbReaders,
	"POST /api/v1/kb/faqs":                    {kefu.PermKBManage},
	"PATCH /api/v1/kb/faqs/{id}":              {kefu.PermKBManage},
	"DELETE /api/v1/kb/faqs/{id}":             {kefu.PermKBManage},
	"POST /api/v1/kb/import":                  {kefu.PermKBManage},
	"GET /api/v1/kb/export":                   {kefu.PermKBManage},
	"GET /api/v1/kb/unanswered":               {kefu.PermKBManage},
	"GET /api/v1/reports/bot":                 {kefu.PermReportsView},
	"GET /api/v1/reports/kpi":                 {kefu.PermReportsView},
	"GET /api/v1/reports/kpi/conversations":   {kefu.PermReportsView},
	"GET /api/v1/reports/kpi/agents":          {kefu.PermReportsView},
	"GET /api/v1/reports/kpi/teams":           {kefu.PermReportsView},
	"GET /api/v1/reports/kpi/export":          {kefu.PermReportsView},
	"GET /api/v1/reports/staffing":            {kefu.PermReportsView},
	"GET /api/v1/reports/diagnosis":           {kefu.PermReportsView},
	"GET /api/v1/reports/kpi/trends":          {kefu.PermReportsView},
	"GET /api/v1/reports/live":                {kefu.PermReportsView},
	"PUT /api/v1/me/presence":                 signedIn,
	"GET /api/v1/routing/agents":              viewConversations,
	"PATCH /api/v1/routing/agents/{id}":       {kefu.PermConversationsAssign, kefu.PermUsersManage},
	"GET /api/v1/routing/queue":               {kefu.PermConversationsAssign, kefu.PermConversationsViewAll},
	"POST /api/v1/teams":                      {kefu.PermUsersManage},
	"PATCH /api/v1/teams/{id}":                {kefu.PermUsersManage},
	"GET /api/v1/calendars":                   signedIn,
	"POST /api/v1/calendars":                  {kefu.PermSettingsManage},
	"PUT /api/v1/calendars/{id}":              {kefu.PermSettingsManage},
	"DELETE /api/v1/calendars/{id}":           {kefu.PermSettingsManage},
	"POST /api/v1/calendars/{id}/schedule":    {kefu.PermSettingsManage},
	"GET /api/v1/sla-policies":                signedIn,
	"POST /api/v1/sla-policies":               {kefu.PermSettingsManage},
	"PUT /api/v1/sla-policies/{id}":           {kefu.PermSettingsManage},
	"DELETE /api/v1/sla-policies/{id}":        {kefu.PermSettingsManage},
	"GET /api/v1/rules":                       {kefu.PermSettingsManage},
	"POST /api/v1/rules":                      {kefu.PermSettingsManage},
	"PUT /api/v1/rules/{id}":                  {kefu.PermSettingsManage},
	"DELETE /api/v1/rules/{id}":               {kefu.PermSettingsManage},
	"POST /api/v1/rules/preview":              {kefu.PermSettingsManage},
	"PUT /api/v1/shop-orders/{shop_order_id}": {kefu.PermOrdersManage},
	"POST /api/v1/orders/import":              {kefu.PermOrdersManage},
	"GET /api/v1/orders/{id}":                 {kefu.PermOrdersView},
	"GET /api/v1/contacts/{id}/orders":        {kefu.PermOrdersView},
	"GET /api/v1/conversations/{id}/orders":   {kefu.PermOrdersView},
	"POST /api/v1/conversations/{id}/orders":  {kefu.PermOrdersView},
	"GET /api/v1/returns":                     {kefu.PermOrdersView},
	"POST /api/v1/returns":                    {kefu.PermReturnsManage, kefu.PermConversationsReply},
	"POST /api/v1/returns/preview":            {kefu.PermOrdersView},
	"GET /api/v1/returns/{id}":                {kefu.PermOrdersView},
	"POST /api/v1/returns/{id}/actions":       {kefu.PermReturnsManage},
	"GET /api/v1/conversations/{id}/tasks":    viewConversations,
	"POST /api/v1/conversations/{id}/tasks":   {kefu.PermConversationsReply},
	"PATCH /api/v1/tasks/{id}":                signedIn,
	"GET /api/v1/me/tasks":                    signedIn,
	"POST /api/v1/tracking":                   public,
	"POST /api/v1/orders/{id}/tracking":       {kefu.PermOrdersManage, kefu.PermReturnsManage},
	"GET /api/v1/logistics/exceptions":        {kefu.PermOrdersView},
	"GET /api/v1/logistics/webhook":           {kefu.PermSettingsManage},

	"POST /widget/v1/session":              public,
	"POST /widget/v1/identify":             public,
	"POST /widget/v1/uploads":              public,
	"POST /widget/v1/offline":              public,
	"GET /widget/v1/ws":                    public,
	"GET /widget/v1/help":                  public,
	"GET /widget/v1/orders":                public,
	"GET /widget/v1/returns":               public,
	"POST /widget/v1/returns":              public,
	"POST /widget/v1/returns/{id}/actions": public,
	"POST /widget/v1/survey":               public,
}

// kbReaders: knowledge-base writers, and agents who insert its answers.
var kbReaders = []kefu.Permission{kefu.PermKBManage, kefu.PermConversationsReply}

// viewConversations: any of the conversation-viewing permissions.
var viewConversations = []kefu.Permission{kefu.PermConversationsViewOwn, kefu.PermConversationsViewTeam, kefu.PermConversationsViewAll}

func routeKey(r httpapi.Route) string { return r.Method + " " + r.Path }

func TestEveryEndpointIsInThePermissionTable(t *testing.T) {
	routes := (&httpapi.Server{}).Routes()
	seen := map[string]bool{}
	for _, r := range routes {
		k := routeKey(r)
		seen[k] = true
		perms, ok := endpointPermissions[k]
		if !ok {
			t.Errorf("%s has no row in endpointPermissions: add the permissions it needs", k)
			continue
		}
		if r.Public != slices.Equal(perms, public) {
			t.Errorf("%s: Public=%v in Routes but the table says %v", k, r.Public, perms)
		}
	}
	for k := range endpointPermissions {
		if !seen[k] {
			t.Errorf("endpointPermissions names %s, which is not a route", k)
		}
	}
}

// requestBodies are valid-looking bodies so that an allowed caller gets past
// validation to the permission check and beyond.
var requestBodies = map[string]any{
	"POST /api/v1/me/password":          map[string]any{"current_password": "wrong password", "new_password": "another long password"},
	"POST /api/v1/me/2fa/confirm":       map[string]any{"code": "123456"},
	"POST /api/v1/me/2fa/disable":       map[string]any{"password": "wrong password"},
	"POST /api/v1/me/tokens":            map[string]any{"name": "integration"},
	"POST /api/v1/users":                map[string]any{"email": "", "name": "新同事", "role": "agent", "password": "a long enough password"},
	"PATCH /api/v1/users/{id}":          map[string]any{"name": "改名"},
	"POST /api/v1/users/{id}/password":  map[string]any{"password": "a brand new password"},
	"POST /api/v1/roles":                map[string]any{"name": "", "permissions": []string{"contacts.view"}},
	"PATCH /api/v1/roles/{name}":        map[string]any{"description": "changed"},
	"POST /api/v1/contacts":             map[string]any{"name": "测试客户", "phone": "13912345678"},
	"POST /api/v1/contacts/{id}/reveal": map[string]any{"field": "phone"},
	"PUT /api/v1/settings":              kefu.DefaultSettings(),

	"PATCH /api/v1/conversations/{id}":         map[string]any{"priority": "high"},
	"PUT /api/v1/me/presence":                  map[string]any{"status": "online"},
	"PATCH /api/v1/routing/agents/{id}":        map[string]any{"skills": []string{"en"}},
	"POST /api/v1/teams":                       map[string]any{"name": "技术支持"},
	"POST /api/v1/conversations/{id}/tasks":    map[string]any{"department": "warehouse", "title": "核实发货"},
	"POST /api/v1/calendars":                   map[string]any{"name": "工作日", "weekly": map[string]any{"monday": []map[string]string{{"start": "09:00", "end": "18:00"}}}},
	"PUT /api/v1/calendars/{id}":               map[string]any{"name": "工作日", "weekly": map[string]any{"monday": []map[string]string{{"start": "09:00", "end": "18:00"}}}},
	"POST /api/v1/sla-policies":                map[string]any{"name": "测试", "first_response_minutes": 30},
	"PUT /api/v1/sla-policies/{id}":            map[string]any{"name": "测试", "first_response_minutes": 30},
	"POST /api/v1/rules":                       map[string]any{"name": "规则", "enabled": true, "events": []string{"message_received"}, "actions": []map[string]string{{"type": "add_note", "value": "x"}}},
	"PUT /api/v1/rules/{id}":                   map[string]any{"name": "规则", "enabled": true, "events": []string{"message_received"}, "actions": []map[string]string{{"type": "add_note", "value": "x"}}},
	"POST /api/v1/rules/preview":               map[string]any{"rule": map[string]any{"name": "规则", "events": []string{"message_received"}, "actions": []map[string]string{{"type": "add_note", "value": "x"}}}, "text": "投诉"},
	"PATCH /api/v1/teams/{id}":                 map[string]any{"description": "改"},
	"POST /api/v1/conversations/{id}/messages": map[string]any{"client_id": "perm-test", "text": "您好"},
	"POST /api/v1/conversations/{id}/notes":    map[string]any{"text": "备注"},
	"POST /api/v1/conversations/{id}/assign":   map[string]any{"assignee_id": nil},
	"POST /api/v1/conversations/{id}/transfer": map[string]any{"team_id": "", "assignee_id": "", "note": "转给售后"},
	"POST /api/v1/conversations/{id}/status":   map[string]any{"status": "pending"},
	"POST /api/v1/conversations/{id}/read":     map[string]any{"seq": 1},
	"POST /api/v1/canned-replies":              map[string]any{"shortcut": "hi", "title": "问候", "content": "您好", "scope": "shared"},
	"PATCH /api/v1/canned-replies/{id}":        map[string]any{"title": "改"},
	"POST /api/v1/inboxes":                     map[string]any{"name": "App 客服"},
	"PATCH /api/v1/inboxes/{id}":               map[string]any{"greeting": "您好"},
	"POST /api/v1/webhooks":                    map[string]any{"url": "http://127.0.0.1:1/hook", "events": []string{"message.created"}},
	"PATCH /api/v1/webhooks/{id}":              map[string]any{"active": false},
	"POST /api/v1/kb/articles":                 map[string]any{"locale": "zh-CN", "slug": "s", "title": "标题", "body": "正文"},
	"PATCH /api/v1/kb/articles/{id}":           map[string]any{"title": "新标题"},
	"POST /api/v1/kb/faqs":                     map[string]any{"locale": "zh-CN", "question": "问", "answer": "答"},
	"PATCH /api/v1/kb/faqs/{id}":               map[string]any{"answer": "新答案"},
}

// TestEveryRoleIsRefusedWithoutThePermission calls every endpoint as every
// built-in role. A role holding none of the endpoint's permissions must get
// 403; a role holding one must get past the check (any status but 401/403).
func TestEveryRoleIsRefusedWithoutThePermission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sys := e.system()
		target, _ := e.user(kefu.RoleAgent)
		targetUser, err := e.app.DB.UserByEmail(sys, target)
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.app.Contacts.Create(sys, kefu.Contact{Name: "王五", Phone: "13712345678"})
		if err != nil {
			t.Fatal(err)
		}
		// One user per role, all in the team the conversation belongs to, so
		// that an agent's team rights reach it.
		logins := map[string][2]string{}
		var members []string
		for _, role := range kefu.BuiltinRoles() {
			email, pw := e.user(role.Name)
			logins[role.Name] = [2]string{email, pw}
			u, _ := e.app.DB.UserByEmail(sys, email)
			members = append(members, u.ID)
		}
		team := kefu.Team{ID: kefu.NewID(), Name: "权限测试组", MemberIDs: members, CreatedAt: e.clock.Now()}
		if err := e.app.DB.InsertTeam(sys, team); err != nil {
			t.Fatal(err)
		}
		ib, err := e.app.Webchat.CreateInbox(sys, kefu.Inbox{Name: "官网", TeamID: team.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, conv, err := e.app.Inbox.Ingest(sys, inbox.IncomingMessage{InboxID: ib.ID, ContactID: c.ID, ClientID: "x", Text: "我的快递到哪了"})
		if err != nil {
			t.Fatal(err)
		}
		// idFor returns an object for a path's {id}; objects a call may
		// delete are made fresh for each call.
		idFor := func(path string) string {
			switch {
			case strings.HasPrefix(path, "/api/v1/users/"):
				return targetUser.ID
			case strings.HasPrefix(path, "/api/v1/contacts/"):
				return c.ID
			case strings.HasPrefix(path, "/api/v1/conversations/"):
				return conv.ID
			case strings.HasPrefix(path, "/api/v1/inboxes/"):
				return ib.ID
			case strings.HasPrefix(path, "/api/v1/canned-replies/"):
				r, err := e.app.Canned.Create(sys, kefu.CannedReply{Shortcut: "t" + kefu.NewID()[30:], Title: "t", Content: "c", Scope: "shared"})
				if err != nil {
					t.Fatal(err)
				}
				return r.ID
			case strings.HasPrefix(path, "/api/v1/kb/articles/"):
				a, err := e.app.KB.CreateArticle(sys, kefu.Article{Locale: "zh-CN", Slug: "a" + strings.ToLower(kefu.NewID()[30:]), Title: "t", Body: "b"})
				if err != nil {
					t.Fatal(err)
				}
				return a.ID
			case strings.HasPrefix(path, "/api/v1/kb/faqs/"):
				f, err := e.app.KB.CreateFAQ(sys, kefu.FAQ{Locale: "zh-CN", Question: "q" + kefu.NewID(), Answer: "a"})
				if err != nil {
					t.Fatal(err)
				}
				return f.ID
			case strings.HasPrefix(path, "/api/v1/webhooks/"):
				h, err := e.app.Hooks.Create(sys, kefu.Webhook{URL: "http://127.0.0.1:1/hook", Events: []string{kefu.HookMessageCreated}})
				if err != nil {
					t.Fatal(err)
				}
				return h.ID
			}
			return "00000000-0000-0000-0000-000000000000"
		}
		routes := (&httpapi.Server{}).Routes()
		// Sign-out ends the session the other calls use: run it last.
		slices.SortStableFunc(routes, func(a, b httpapi.Route) int {
			return boolCmp(a.Path == "/api/v1/auth/logout", b.Path == "/api/v1/auth/logout")
		})
		for _, role := range kefu.BuiltinRoles() {
			cl := e.client("192.0.2.10")
			cl.login(logins[role.Name][0], logins[role.Name][1])
			for _, rt := range routes {
				if rt.Public {
					continue
				}
				k := routeKey(rt)
				path := strings.NewReplacer("{id}", idFor(rt.Path), "{name}", "tmp-"+role.Name).Replace(rt.Path)
				if rt.Path == "/api/v1/roles/{name}" {
					// Give the allowed roles a custom role to change and delete.
					_, _ = e.app.Auth.CreateRole(e.system(), kefu.Role{Name: "tmp-" + role.Name})
				}
				body := requestBodies[k]
				if k == "POST /api/v1/users" {
					body = map[string]any{"email": role.Name + "-new@example.com", "name": "新同事", "role": "agent", "password": "a long enough password"}
				} else if k == "POST /api/v1/roles" {
					body = map[string]any{"name": "made-by-" + role.Name, "permissions": []string{"contacts.view"}}
				} else if body == nil && rt.Method != http.MethodGet {
					body = map[string]any{}
				}
				r := cl.do(rt.Method, path, body)
				allowed := len(endpointPermissions[k]) == 0 || slices.ContainsFunc(endpointPermissions[k], func(p kefu.Permission) bool {
					return slices.Contains(role.Permissions, p)
				})
				if allowed && (r.status == http.StatusForbidden || r.status == http.StatusUnauthorized) {
					t.Errorf("%s as %s: got %d %s, want it allowed", k, role.Name, r.status, r.raw)
				}
				if !allowed && (r.status != http.StatusForbidden || r.errorCode() != kefu.EFORBIDDEN) {
					t.Errorf("%s as %s: got %d %s, want 403 forbidden", k, role.Name, r.status, r.raw)
				}
			}
		}
	})
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
