// How the console groups and labels permissions. Labels and descriptions live in
// the locale files under "perms.<name with dots as underscores>".

export const PERM_GROUPS: { key: string; perms: string[] }[] = [
  {
    key: 'conversations',
    perms: [
      'conversations.view.own',
      'conversations.view.team',
      'conversations.view.all',
      'conversations.reply',
      'conversations.assign',
      'canned.manage',
      'kb.manage',
    ],
  },
  { key: 'contacts', perms: ['contacts.view', 'contacts.edit', 'pii.reveal', 'data.export'] },
  { key: 'admin', perms: ['users.manage', 'roles.manage', 'settings.manage'] },
  { key: 'reports', perms: ['reports.view'] },
  { key: 'orders', perms: ['orders.view', 'orders.manage', 'returns.manage'] },
  { key: 'compliance', perms: ['audit.read', 'dsr.run'] },
];

export const KNOWN_PERMS = PERM_GROUPS.flatMap((g) => g.perms);

export function permKey(name: string): string {
  return name.replace(/\./g, '_');
}

/** Groups the permissions the server knows; ones the console does not know go to "other". */
export function groupPermissions(all: string[]): { key: string; perms: string[] }[] {
  const known = new Set(KNOWN_PERMS);
  const groups = PERM_GROUPS.map((g) => ({ key: g.key, perms: g.perms.filter((p) => all.length === 0 || all.includes(p)) }));
  const other = all.filter((p) => !known.has(p));
  if (other.length) groups.push({ key: 'other', perms: other });
  return groups.filter((g) => g.perms.length > 0);
}

export const KNOWN_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.login_anomalous',
  'auth.lockout',
  'auth.logout',
  'auth.session_revoke',
  'auth.token_create',
  'auth.token_revoke',
  'auth.2fa_enable',
  'auth.2fa_disable',
  'auth.recovery_code_used',
  'user.create',
  'user.update',
  'user.password_reset',
  'role.create',
  'role.update',
  'role.delete',
  'settings.change',
  'pii.reveal',
  'contact.create',
  'data.export',
  'data.request',
  'vault.key_rotate',
  'backup.create',
];

export const BUILTIN_ROLES = ['admin', 'supervisor', 'agent', 'auditor'];
