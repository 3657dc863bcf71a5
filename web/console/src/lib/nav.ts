// The console's pages in menu order, with the permissions that open each (any one of them).
export const CONVERSATION_VIEW_PERMS = ['conversations.view.own', 'conversations.view.team', 'conversations.view.all'];
export const CANNED_PERMS = ['conversations.reply', 'canned.manage'];
/** Writers of the knowledge base, and agents who answer from it. */
export const KB_PERMS = ['kb.manage', 'conversations.reply'];

/** Supervisors who watch the routing queues. */
export const QUEUE_PERMS = ['conversations.assign', 'conversations.view.all'];
/** Who manages or adjusts teams and agents' routing. */
export const ROUTING_ADMIN_PERMS = ['users.manage', 'conversations.assign'];

export const NAV: { path: string; perms: string[] }[] = [
  { path: '/inbox', perms: CONVERSATION_VIEW_PERMS },
  { path: '/queue', perms: QUEUE_PERMS },
  { path: '/canned-replies', perms: CANNED_PERMS },
  { path: '/kb/faqs', perms: KB_PERMS },
  { path: '/contacts', perms: ['contacts.view'] },
  { path: '/returns', perms: ['orders.view'] },
  { path: '/reports/kpi', perms: ['reports.view'] },
  { path: '/reports/live', perms: ['reports.view'] },
  { path: '/reports/bot', perms: ['reports.view'] },
  { path: '/reports/staffing', perms: ['reports.view'] },
  { path: '/reports/diagnosis', perms: ['reports.view'] },
  { path: '/audit', perms: ['audit.read'] },
  { path: '/users', perms: ['users.manage'] },
  { path: '/teams', perms: ROUTING_ADMIN_PERMS },
  { path: '/agents', perms: ROUTING_ADMIN_PERMS },
  { path: '/roles', perms: ['roles.manage'] },
  { path: '/settings/inboxes', perms: ['settings.manage'] },
  { path: '/settings/webhooks', perms: ['settings.manage'] },
  { path: '/settings/business-hours', perms: ['settings.manage'] },
  { path: '/settings/sla', perms: ['settings.manage'] },
  { path: '/settings/rules', perms: ['settings.manage'] },
  { path: '/settings', perms: ['settings.manage'] },
];

/** Whether the user holds at least one of perms. */
export function hasAny(has: (p: string) => boolean, perms: string | string[]): boolean {
  return (Array.isArray(perms) ? perms : [perms]).some((p) => has(p));
}

export function firstAllowedPath(has: (p: string) => boolean): string {
  return NAV.find((n) => hasAny(has, n.perms))?.path ?? '/profile';
}

/** The menu key for a location: the longest menu path that the pathname starts with. */
export function menuKeyFor(pathname: string, keys: string[]): string {
  let best = '';
  for (const k of keys) {
    if ((pathname === k || pathname.startsWith(k + '/')) && k.length > best.length) best = k;
  }
  return best || '/' + (pathname.split('/')[1] ?? '');
}
