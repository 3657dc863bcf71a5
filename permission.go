package kefu

import (
	"context"
	"slices"
)

// Permission is a right an actor may hold. Roles are sets of permissions and
// live in the database, so admins can make custom roles; the constants below
// are all the permissions kefu knows.
type Permission string

const (
	PermConversationsViewOwn  Permission = "conversations.view.own"  // see conversations assigned to oneself
	PermConversationsViewTeam Permission = "conversations.view.team" // see conversations of one's teams
	PermConversationsViewAll  Permission = "conversations.view.all"  // see every conversation
	PermConversationsReply    Permission = "conversations.reply"     // write to customers
	PermConversationsAssign   Permission = "conversations.assign"    // assign and transfer
	PermContactsView          Permission = "contacts.view"           // list and read contacts (masked)
	PermContactsEdit          Permission = "contacts.edit"           // create and change contacts
	PermPIIReveal             Permission = "pii.reveal"              // show a masked field in full (audited)
	PermDataExport            Permission = "data.export"             // export data in bulk
	PermUsersManage           Permission = "users.manage"            // create, change, disable users; reset passwords
	PermRolesManage           Permission = "roles.manage"            // create and change roles
	PermSettingsManage        Permission = "settings.manage"         // change workspace settings
	PermAuditRead             Permission = "audit.read"              // read the audit log
	PermDSRRun                Permission = "dsr.run"                 // run data-subject requests (access, erase)
	PermCannedManage          Permission = "canned.manage"           // manage team and shared canned replies
	PermKBManage              Permission = "kb.manage"               // write the knowledge base: articles and FAQ
	PermReportsView           Permission = "reports.view"            // read reports and dashboards
	PermOrdersView            Permission = "orders.view"             // see customers' orders and returns
	PermOrdersManage          Permission = "orders.manage"           // push and import orders (the shop's integration)
	PermReturnsManage         Permission = "returns.manage"          // approve, reject, receive, inspect and refund returns
)

// AllPermissions lists every permission, in the order the console shows them.
var AllPermissions = []Permission{
	PermConversationsViewOwn, PermConversationsViewTeam, PermConversationsViewAll,
	PermConversationsReply, PermConversationsAssign,
	PermContactsView, PermContactsEdit, PermPIIReveal, PermDataExport,
	PermUsersManage, PermRolesManage, PermSettingsManage,
	PermAuditRead, PermDSRRun, PermCannedManage, PermKBManage, PermReportsView,
	PermOrdersView, PermOrdersManage, PermReturnsManage,
}

// ValidPermission reports whether p is a permission kefu knows.
func ValidPermission(p Permission) bool { return slices.Contains(AllPermissions, p) }

// Built-in role names. They cannot be deleted; their permissions can be viewed but not changed.
const (
	RoleAdmin      = "admin"
	RoleSupervisor = "supervisor"
	RoleAgent      = "agent"
	RoleAuditor    = "auditor"
)

// BuiltinRoles returns the built-in roles with their permissions.
//
// Agents see masked customer data only: revealing a phone number is a
// supervisor's right by default, as the brief asks that full PII be the
// exception. An admin can make a custom role that allows it.
func BuiltinRoles() []Role {
	return []Role{
		{Name: RoleAdmin, Builtin: true, Permissions: slices.Clone(AllPermissions)},
		{Name: RoleSupervisor, Builtin: true, Permissions: []Permission{
			PermConversationsViewOwn, PermConversationsViewTeam, PermConversationsViewAll,
			PermConversationsReply, PermConversationsAssign,
			PermContactsView, PermContactsEdit, PermPIIReveal, PermDataExport, PermCannedManage, PermKBManage,
			PermReportsView, PermOrdersView, PermReturnsManage,
		}},
		{Name: RoleAgent, Builtin: true, Permissions: []Permission{
			PermConversationsViewOwn, PermConversationsViewTeam,
			PermConversationsReply, PermContactsView, PermContactsEdit, PermOrdersView,
		}},
		{Name: RoleAuditor, Builtin: true, Permissions: []Permission{
			PermContactsView, PermAuditRead, PermDSRRun,
		}},
	}
}

// Actor is who is doing something: a user through a session or an API token,
// or the system itself (jobs, CLI maintenance). Services read it from the
// context and check permissions against it.
type Actor struct {
	UserID      string
	Name        string
	Role        string
	Permissions []Permission
	SessionID   string // empty for API tokens and the system
	TokenID     string // set when authenticated by an API token
	IP          string
	System      bool // kefu itself; holds every permission
}

// Can reports whether the actor holds the permission.
func (a *Actor) Can(p Permission) bool {
	if a == nil {
		return false
	}
	return a.System || slices.Contains(a.Permissions, p)
}

// SystemActor is the actor for work kefu does on its own behalf (CLI, jobs).
func SystemActor(name string) *Actor {
	return &Actor{Name: name, System: true}
}

type actorKey struct{}

// NewContext returns a context carrying the actor.
func NewContext(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the context's actor, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// Require returns the context's actor if it holds the permission.
// Returns EUNAUTHORIZED without an actor and EFORBIDDEN without the permission.
func Require(ctx context.Context, p Permission) (*Actor, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, Errorf(EUNAUTHORIZED, "Sign in first.")
	}
	if !a.Can(p) {
		return nil, Errorf(EFORBIDDEN, "You need the %q permission for this.", p)
	}
	return a, nil
}

// RequireActor returns the context's actor, or EUNAUTHORIZED.
func RequireActor(ctx context.Context) (*Actor, error) {
	a := ActorFrom(ctx)
	if a == nil {
		return nil, Errorf(EUNAUTHORIZED, "Sign in first.")
	}
	return a, nil
}
