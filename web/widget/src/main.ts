// kefu customer chat widget. A shop embeds it with
//   <script src="https://kefu.example.com/widget.js" data-website-token="TOKEN" defer></script>
// and may call window.kefu('identify' | 'open' | 'close', …), queued until the script loads.
// An identified customer also gets an orders tab (orders.ts).
// The protocol is docs/realtime.md (widget section).

import { Conn, type Frame } from './conn';
import { locale, t, type Key } from './i18n';
import { helpView, type Help } from './help';
import { ordersView, type Orders } from './orders';
import { CSS } from './styles';
import { surveyCard, type Ask } from './survey';
import { fmtSize, getCookie, h, icon, ICON, linkify, setCookie, store, uuid } from './util';

interface Att {
  id: string;
  name: string;
  content_type: string;
  size: number;
  url: string;
}
interface Msg {
  id: string;
  seq: number;
  conversation_id: string;
  sender_type: string;
  sender_name?: string;
  text?: string;
  attachments?: Att[] | null;
  client_id?: string | null;
  created_at?: string;
}
/** A customer message not yet acknowledged (kept in sessionStorage). */
interface Pending {
  client_id: string;
  text: string;
  attachments: Att[];
  created: number;
  failed?: string;
  upload?: string; // file name while the upload runs
  gen?: number; // the connection it was last sent on
}
interface Inbox {
  name?: string;
  greeting?: string;
  offline_message?: string;
  prechat_enabled?: boolean;
  prechat_fields?: string[];
}
interface Session {
  visitor_token: string;
  conversation?: { id: string; last_seq: number } | null;
  inbox?: Inbox;
  online?: boolean;
}
interface Identity {
  user_id: string | number;
  name?: string;
  email?: string;
  phone?: string;
  signature: string;
}
type KefuFn = ((cmd: string, arg?: unknown) => unknown) & { q?: ArrayLike<unknown>[] };
type Win = Window & { kefu?: KefuFn; __kefuWidget?: boolean };

const MAX_FILE = 10 * 1024 * 1024;
const FILE_TYPES = /^(image\/(png|jpeg|gif|webp)|text\/plain|application\/(pdf|zip|x-zip-compressed|msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\.[\w.]+))$/;
const FILE_EXT = /\.(png|jpe?g|gif|webp|pdf|txt|zip|docx?|xlsx?|pptx?)$/i;
const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,.pdf,.txt,.zip,.doc,.docx,.xls,.xlsx,.ppt,.pptx';
const PRECHAT_FIELDS = ['name', 'phone', 'order_no'];
/** How every bot answer from the knowledge base ends: it may get "did this help?" buttons. */
const ASK = /(以上回答对您有帮助吗？|Did this answer help\?)\s*$/;
/** The survey link in the system message that ends a conversation ("…请为我们的服务评分：/survey/<token>"). */
const SURVEY = /[：:]?\s*\/survey\/([\w-]+)/;

const win = window as Win;
const script =
  (document.currentScript as HTMLScriptElement | null) ||
  document.querySelector<HTMLScriptElement>('script[data-website-token][src*="widget"]');
const token = script?.dataset.websiteToken || '';

if (script && token && !win.__kefuWidget) {
  win.__kefuWidget = true;
  boot(script);
}

function boot(el: HTMLScriptElement): void {
  const src = new URL(el.src, location.href);
  const base = src.origin + src.pathname.replace(/\/[^/]*$/, '');
  const K = {
    cookie: 'kefu_visitor_' + token,
    outbox: 'kefu_outbox_' + token,
    read: 'kefu_read_' + token,
    prechat: 'kefu_prechat_' + token,
    fb: 'kefu_fb_' + token,
    ord: 'kefu_ord_' + token,
    sv: 'kefu_sv_' + token,
  };

  // ---- state ----
  let visitor = getCookie(K.cookie) || store.get('local', K.cookie) || '';
  let inbox: Inbox = {};
  let online = true;
  let convId: string | null = null;
  let lastSeq = 0; // highest seq received in convId
  let agentRead = 0; // an agent has read up to here
  let readSent = 0; // the last read frame we sent
  let readLocal = 0; // the customer has seen up to here (for the unread badge)
  const convs: string[] = [];
  const msgs: Msg[] = [];
  const seen = new Set<string>();
  let outbox: Pending[] = [];
  try {
    outbox = (JSON.parse(store.get('session', K.outbox) || '[]') as Pending[]).filter((p) => p && p.client_id);
  } catch {
    /* corrupt: start empty */
  }
  // "Did this answer help?": bot message id → 1 (helpful) or 0, kept across reloads.
  let fb: Record<string, number> = {};
  try {
    const v = JSON.parse(store.get('local', K.fb) || '{}');
    if (v && typeof v === 'object') fb = v;
  } catch {
    /* corrupt: start empty */
  }
  const fbWait = new Set<string>(); // feedback not yet sent
  // The survey card of the conversation just resolved; its ask is kept in localStorage until answered or expired.
  let survey: { token: string; el: HTMLElement } | null = null;
  function showSurvey(a: Ask | undefined): void {
    if (!a || typeof a.token !== 'string' || !(Date.parse(a.expires_at) > Date.now())) return void store.set('local', K.sv, null);
    if (survey?.token === a.token) return;
    store.set('local', K.sv, JSON.stringify(a));
    survey = { token: a.token, el: surveyCard(base, a, () => store.set('local', K.sv, null)) };
  }
  try {
    showSurvey(JSON.parse(store.get('local', K.sv) || 'null') || undefined);
  } catch {
    /* corrupt: no card */
  }
  let isOpen = false;
  type Tab = 'chat' | 'help' | 'orders';
  let tab: Tab = 'chat';
  let orders: Orders | null = null; // built when the shop identifies the visitor
  let hasOrders = false; // the orders tab is shown: the last GET /widget/v1/orders answered 200
  let ordTimer: ReturnType<typeof setTimeout> | undefined;
  let wantOpen = false;
  let built = false;
  let agentTyping: string | null = null;
  /** While waiting for an agent: how many are ahead and the estimated wait. */
  let queue: { ahead: number; estimated_wait_ms?: number } | null = null;
  let agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  let prechatDone = store.get('local', K.prechat) === '1';
  let prechatFrame: Frame | null = null;
  let prechatInfo: Record<string, string> = {};
  let offlineDone = store.get('session', K.prechat + '_off') === '1';
  let everUp = false;
  let down = false; // the socket has been down for a while: show a banner
  let downTimer: ReturnType<typeof setTimeout> | undefined;
  let resolveReady: () => void = () => {};
  const sessionReady = new Promise<void>((r) => (resolveReady = r));

  const conn = new Conn({
    url: () => base.replace(/^http/, 'ws') + '/widget/v1/ws?visitor_token=' + encodeURIComponent(visitor),
    since: () => lastSeq,
    frame: onFrame,
    state(up) {
      if (up) {
        clearTimeout(downTimer);
        downTimer = undefined;
        everUp = true;
        down = false;
      } else if (!down && !downTimer) {
        // Only a connection that stays down for 2 s is worth a banner.
        downTimer = setTimeout(() => {
          downTimer = undefined;
          down = true;
          update();
        }, 2000);
      }
      update();
    },
  });

  // ---- HTTP ----
  async function post<T>(path: string, body: unknown): Promise<T> {
    const r = await fetch(base + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      mode: 'cors',
    });
    if (!r.ok) throw Object.assign(new Error('kefu: HTTP ' + r.status), { status: r.status });
    const txt = await r.text();
    return (txt ? JSON.parse(txt) : {}) as T;
  }

  function saveVisitor(v: string): void {
    visitor = v;
    setCookie(K.cookie, v);
    store.set('local', K.cookie, v);
  }

  async function startSession(): Promise<void> {
    for (let i = 0; ; i++) {
      const body: Record<string, string> = { website_token: token, locale };
      if (visitor) body.visitor_token = visitor;
      try {
        const s = await post<Session>('/widget/v1/session', body);
        if (!s || !s.visitor_token) throw new Error('kefu: bad session');
        saveVisitor(s.visitor_token);
        inbox = s.inbox || {};
        online = s.online !== false;
        if (s.conversation && s.conversation.id) setConv(s.conversation.id);
        return;
      } catch (e) {
        const st = (e as { status?: number }).status || 0;
        if (st >= 400 && st < 500 && st !== 408 && st !== 429) {
          if (visitor) {
            visitor = ''; // a stale visitor token: start over as a new visitor
            continue;
          }
          console.warn('[kefu] widget disabled:', (e as Error).message);
          throw e;
        }
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** i)));
      }
    }
  }

  // ---- conversation state ----
  function setConv(id: string): void {
    if (id === convId) return;
    convId = id;
    if (!convs.includes(id)) convs.push(id);
    lastSeq = 0;
    for (const m of msgs) if (m.conversation_id === id && m.seq > lastSeq) lastSeq = m.seq;
    agentRead = readSent = 0;
    const r = (store.get('local', K.read) || '').split(' ');
    readLocal = r[0] === id ? Number(r[1]) || 0 : 0;
  }

  /** Adds a stored message unless it is already known (by id or by seq); returns whether it was new. */
  function addMsg(m: Msg | undefined): boolean {
    if (!m || typeof m.seq !== 'number' || !m.id) return false;
    if (m.client_id) dropPending(m.client_id);
    const conv = m.conversation_id || convId || '';
    const ki = 'i:' + m.id;
    const ks = 's:' + conv + ':' + m.seq;
    if (seen.has(ki) || seen.has(ks)) return false;
    seen.add(ki).add(ks);
    m.conversation_id = conv;
    if (!convs.includes(conv)) setConv(conv); // a new conversation began
    msgs.push(m);
    msgs.sort((a, b) => convs.indexOf(a.conversation_id) - convs.indexOf(b.conversation_id) || a.seq - b.seq);
    if (conv === convId && m.seq > lastSeq) lastSeq = m.seq;
    if (m.sender_type !== 'customer' && agentTyping !== null) {
      agentTyping = null;
    }
    return true;
  }

  function dropPending(cid: string): void {
    const n = outbox.length;
    outbox = outbox.filter((p) => p.client_id !== cid);
    if (outbox.length !== n) saveOutbox();
  }

  function saveOutbox(): void {
    const keep = outbox.filter((p) => !p.upload).map(({ client_id, text, attachments, created, failed }) => ({ client_id, text, attachments, created, failed }));
    store.set('session', K.outbox, keep.length ? JSON.stringify(keep) : null);
  }

  /** Sends the pre-chat form and every unsent outbox message on the current connection. */
  function flush(): void {
    if (!conn.up) return;
    if (prechatFrame && conn.send(prechatFrame)) prechatFrame = null;
    for (const id of fbWait) if (conn.send({ type: 'feedback', message_id: id, helpful: fb[id] === 1 })) fbWait.delete(id);
    for (const p of outbox) {
      if (p.failed || p.upload || p.gen === conn.gen) continue;
      if (conn.send({ type: 'message', client_id: p.client_id, text: p.text, attachments: p.attachments.map((a) => a.id) })) p.gen = conn.gen;
    }
  }

  function enqueue(p: Pending): void {
    outbox.push(p);
    saveOutbox();
    markPrechat();
    conn.start();
    flush();
    update(true);
  }

  /** The customer answered "did this help?" on bot message id. */
  function feedback(id: string, yes: boolean): void {
    fb[id] = yes ? 1 : 0;
    const ids = Object.keys(fb);
    if (ids.length > 50) delete fb[ids[0]];
    store.set('local', K.fb, JSON.stringify(fb));
    fbWait.add(id);
    flush();
    update();
  }

  function onFrame(f: Frame): void {
    switch (f.type) {
      case 'ready': {
        online = f.online !== false;
        const cid = typeof f.conversation_id === 'string' && f.conversation_id ? f.conversation_id : null;
        if (cid && convId && cid !== convId && lastSeq > 0) {
          // Our since counted in another conversation: start over from seq 0 in the new one.
          setConv(cid);
          conn.drop();
          return;
        }
        if (cid) setConv(cid);
        flush();
        maybeRead();
        break;
      }
      case 'message':
        if (!addMsg(f.message)) return;
        if (f.message.sender_type !== 'customer' && isOpen) maybeRead();
        if (f.message.sender_type === 'system' && hasOrders) {
          // Each step of a return is told in a system line: refresh the returns (once per burst).
          clearTimeout(ordTimer);
          ordTimer = setTimeout(loadOrders, 400);
        }
        break;
      case 'ack':
        if (typeof f.client_id === 'string') dropPending(f.client_id);
        addMsg(f.message);
        break;
      case 'typing':
        clearTimeout(agentTypingTimer);
        agentTyping = f.on ? String(f.name || '') : null;
        if (f.on)
          agentTypingTimer = setTimeout(() => {
            agentTyping = null;
            update();
          }, 15_000);
        break;
      case 'read':
        if (typeof f.seq === 'number' && f.seq > agentRead) agentRead = f.seq;
        break;
      case 'status':
        online = f.online !== false;
        break;
      case 'survey':
        showSurvey(f.survey);
        update(true);
        return;
      case 'queue':
        queue = f.queue && typeof f.queue.ahead === 'number' ? f.queue : null;
        break;
      case 'error': {
        const p = f.client_id ? outbox.find((x) => x.client_id === f.client_id) : undefined;
        if (p) {
          p.failed = String(f.message || f.code || 'error');
          p.gen = undefined;
          saveOutbox();
        } else console.warn('[kefu]', f.code, f.message);
        break;
      }
      default:
        return; // pong and unknown frames
    }
    update();
  }

  /** Tells the server the customer has seen everything, if the chat is open and visible. */
  function maybeRead(): void {
    if (!isOpen || tab !== 'chat' || document.visibilityState !== 'visible' || !convId || !lastSeq) return;
    if (lastSeq > readLocal) {
      readLocal = lastSeq;
      store.set('local', K.read, convId + ' ' + lastSeq);
    }
    const other = msgs.some((m) => m.conversation_id === convId && m.sender_type !== 'customer' && m.seq > readSent);
    if (other && conn.send({ type: 'read', seq: lastSeq })) readSent = lastSeq;
  }

  function unread(): number {
    return msgs.filter((m) => m.conversation_id === convId && m.seq > readLocal && (m.sender_type === 'agent' || m.sender_type === 'bot')).length;
  }

  // ---- typing (customer → agent) ----
  let typingOn = false;
  let typingLast = 0;
  let typingIdle: ReturnType<typeof setTimeout> | undefined;
  function typed(): void {
    if (!input.value.trim()) return stopTyping();
    const now = Date.now();
    if (now - typingLast >= 2000 && conn.send({ type: 'typing', on: true })) {
      typingOn = true;
      typingLast = now;
    }
    clearTimeout(typingIdle);
    typingIdle = setTimeout(stopTyping, 3000);
  }
  function stopTyping(): void {
    clearTimeout(typingIdle);
    if (typingOn) conn.send({ type: 'typing', on: false });
    typingOn = false;
    typingLast = 0;
  }

  // ---- DOM ----
  const host = h('div', { id: 'kefu-widget', 'data-kefu': '' });
  host.style.cssText = 'all:initial!important;display:block!important;position:static!important;width:0!important;height:0!important';
  const root = host.attachShadow({ mode: 'open' });
  const wrap = h('div', { class: 'w', lang: locale });
  const badge = h('span', { class: 'bdg', hidden: true });
  const lnIcon = h('span', { class: 'sr' });
  const launcher = h('button', { class: 'ln', type: 'button', 'data-testid': 'widget-launcher', 'aria-label': t('open'), onclick: () => setOpen(!isOpen) }, icon(ICON.chat), lnIcon, badge);
  const title = h('div', { class: 'hn' });
  const sub = h('div', { class: 'hs' });
  const tabBadge = h('span', { class: 'tbd', hidden: true });
  const tabBtn = (k: Tab, ic: string, ...kids: HTMLElement[]) =>
    h('button', { class: 'tab', type: 'button', role: 'tab', 'data-testid': 'widget-tab-' + k, onclick: () => setTab(k) }, icon(ic, 's'), t(k === 'chat' ? 'tabChat' : k === 'help' ? 'tabHelp' : 'tabOrders'), ...kids);
  const tabChat = tabBtn('chat', ICON.bubble, tabBadge);
  const tabHelp = tabBtn('help', ICON.help);
  const tabOrders = tabBtn('orders', ICON.bag);
  tabOrders.hidden = true;
  const tabEls: Record<Tab, HTMLElement> = { chat: tabChat, help: tabHelp, orders: tabOrders };
  const tabs = h('div', { class: 'tb', role: 'tablist' }, tabChat, tabHelp, tabOrders);
  tabs.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const ks = (Object.keys(tabEls) as Tab[]).filter((k) => !tabEls[k].hidden);
      setTab(ks[(ks.indexOf(tab) + (e.key === 'ArrowLeft' ? ks.length - 1 : 1)) % ks.length]);
      tabEls[tab].focus();
    }
  });
  const header = h('div', { class: 'hw' },
    h('div', { class: 'hd' },
      h('div', { class: 'hav' }, icon(ICON.chat)),
      h('div', { class: 'ht' }, title, sub),
      h('button', { class: 'ib', type: 'button', 'aria-label': t('close'), title: t('close'), 'data-testid': 'widget-close', onclick: () => setOpen(false) }, icon(ICON.down, 's')),
    ),
    tabs,
  );
  const bar = h('div', { class: 'bar', role: 'status', hidden: true });
  const list = h('div', { class: 'ls', role: 'log', 'aria-live': 'polite' });
  const typingEl = h('div', { class: 'ty', 'data-testid': 'widget-typing', hidden: true });
  const queueEl = h('div', { class: 'qu', role: 'status', 'data-testid': 'widget-queue', hidden: true });
  const toastEl = h('div', { class: 'tst', role: 'alert', hidden: true });
  const input = h('textarea', { class: 'ta', rows: 1, maxlength: 5000, placeholder: t('placeholder'), 'aria-label': t('placeholder'), 'data-testid': 'widget-input' });
  const sendBtn = h('button', { class: 'sn', type: 'button', disabled: true, 'aria-label': t('send'), title: t('send'), 'data-testid': 'widget-send', onclick: sendText }, icon(ICON.send));
  const fileIn = h('input', { type: 'file', multiple: true, accept: ACCEPT, hidden: true, 'data-testid': 'widget-file' });
  const composer = h('div', { class: 'cp' },
    h('button', { class: 'ib', type: 'button', 'aria-label': t('attach'), title: t('attach'), 'data-testid': 'widget-attach', onclick: () => fileIn.click() }, icon(ICON.clip, 's')),
    input, sendBtn, fileIn,
  );
  let prechatEl: HTMLElement | null = null;
  let help: Help | null = null; // built when the help tab is first shown
  const body = h('div', { class: 'bd' }, list, typingEl, toastEl);
  const panel = h('div', { class: 'win', role: 'dialog', 'aria-label': t('defaultTitle'), 'data-testid': 'widget-window' }, header, bar, body, queueEl, composer);
  wrap.append(panel, launcher);

  input.addEventListener('input', () => {
    grow();
    sendBtn.disabled = !input.value.trim();
    typed();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      sendText();
    }
  });
  input.addEventListener('paste', (e) => {
    const files = Array.from(e.clipboardData?.files || []);
    if (files.length) {
      e.preventDefault();
      files.forEach(upload);
    }
  });
  fileIn.addEventListener('change', () => {
    Array.from(fileIn.files || []).forEach(upload);
    fileIn.value = '';
  });
  wrap.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen) setOpen(false);
  });

  function grow(): void {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 120) + 'px';
  }

  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  function toast(msg: string): void {
    toastEl.textContent = msg;
    toastEl.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (toastEl.hidden = true), 5000);
  }

  function sendText(): void {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    grow();
    sendBtn.disabled = true;
    stopTyping();
    enqueue({ client_id: uuid(), text, attachments: [], created: Date.now() });
    input.focus();
  }

  async function upload(file: File): Promise<void> {
    const name = file.name || 'file';
    if (file.size > MAX_FILE) return toast(t('fileTooBig', { name }));
    const typeOk = FILE_TYPES.test(file.type) || ((!file.type || file.type === 'application/octet-stream') && FILE_EXT.test(name));
    if (!typeOk) return toast(t('fileBadType', { name }));
    const p: Pending = { client_id: uuid(), text: '', attachments: [], created: Date.now(), upload: name };
    outbox.push(p);
    markPrechat();
    update(true);
    try {
      await sessionReady;
      const fd = new FormData();
      fd.append('file', file, name);
      const r = await fetch(base + '/widget/v1/uploads?visitor_token=' + encodeURIComponent(visitor), { method: 'POST', body: fd, credentials: 'omit', mode: 'cors' });
      if (!r.ok) throw Object.assign(new Error('upload'), { status: r.status });
      const a = (await r.json()) as Att;
      if (!a || !a.id) throw new Error('upload');
      p.attachments = [a];
      p.upload = undefined;
      saveOutbox();
      conn.start();
      flush();
    } catch (e) {
      outbox = outbox.filter((x) => x !== p);
      const st = (e as { status?: number }).status;
      toast(t(st === 413 ? 'fileTooBig' : st === 415 ? 'fileBadType' : 'uploadFailed', { name }));
    }
    update(true);
  }

  function markPrechat(): void {
    if (!prechatDone) {
      prechatDone = true;
      store.set('local', K.prechat, '1');
    }
  }

  function showPrechat(): boolean {
    return !!inbox.prechat_enabled && online && !prechatDone && !convId && !msgs.length && !outbox.length;
  }

  function focusTab(): void {
    (tab === 'help' ? help?.input : tab === 'orders' ? tabOrders : showPrechat() ? prechatEl?.querySelector('input') : input)?.focus();
  }

  /** The tab kefu('open', x) or data-kefu-open="x" asks for. */
  function tabOf(x: unknown): Tab {
    return x === 'help' || (x === 'orders' && hasOrders) ? x : 'chat';
  }

  function setTab(k: Tab): void {
    if (k === tab) return;
    tab = k;
    if (!built) return;
    if (k === 'chat') {
      maybeRead();
    } else stopTyping();
    if (k === 'orders') loadOrders();
    update(k === 'chat');
    if (isOpen) focusTab();
  }

  /** "咨询在线客服" in the help tab: go to the chat, with the search text ready to send. */
  function contact(q: string): void {
    setTab('chat');
    if (q && !input.value.trim() && !showPrechat()) {
      input.value = q;
      grow();
      sendBtn.disabled = false;
    }
    focusTab();
  }

  function setOpen(o: boolean): void {
    if (!built) {
      wantOpen = o;
      return;
    }
    if (o === isOpen) return;
    isOpen = o;
    if (o) {
      conn.start();
      maybeRead();
      update(true);
      if (!matchMedia('(pointer: coarse)').matches) setTimeout(focusTab, 50);
    } else {
      stopTyping();
      const had = !!root.activeElement;
      update();
      if (had) launcher.focus({ preventScroll: true });
    }
  }

  // ---- rendering ----
  const rows = new Map<string, { sig: string; el: HTMLElement }>();
  const timeFmt = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const dayFmt = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const when = (ms: number) => (new Date(ms).toDateString() === new Date().toDateString() ? timeFmt : dayFmt).format(ms);
  const abs = (u: string) => (/^https?:\/\//i.test(u) ? u : base + (u.startsWith('/') ? '' : '/') + u);

  let lnOpen = false;
  function update(scroll = false): void {
    if (!built) return;
    wrap.classList.toggle('open', isOpen);
    wrap.classList.toggle('on', online);
    title.textContent = inbox.name || t('defaultTitle');
    sub.textContent = online ? `${t('online')} · ${t('onlineHint')}` : `${t('offline')} · ${t('offlineHint')}`;
    const n = isOpen ? 0 : unread();
    badge.hidden = !n;
    badge.textContent = n > 99 ? '99+' : String(n);
    lnIcon.textContent = n ? t('unread', { n }) : '';
    if (lnOpen !== isOpen) launcher.replaceChild(icon(isOpen ? ICON.down : ICON.chat, isOpen ? 's' : 'i'), launcher.firstChild!);
    lnOpen = isOpen;
    launcher.setAttribute('aria-expanded', String(isOpen));
    launcher.setAttribute('aria-label', t(isOpen ? 'close' : 'open'));
    const hp = tab !== 'chat';
    for (const k in tabEls) {
      tabEls[k as Tab].setAttribute('aria-selected', String(k === tab));
      tabEls[k as Tab].tabIndex = k === tab ? 0 : -1;
    }
    tabOrders.hidden = !hasOrders;
    const tn = hp ? unread() : 0;
    tabBadge.hidden = !tn;
    tabBadge.textContent = tn > 99 ? '99+' : String(tn);
    if (tab === 'help' && !help) panel.insertBefore((help = helpView(base, contact)).el, body);
    if (help) help.el.hidden = tab !== 'help';
    if (orders && !orders.el.isConnected) panel.insertBefore(orders.el, body);
    if (orders) orders.el.hidden = tab !== 'orders';
    body.hidden = hp;
    bar.hidden = !(isOpen && down) || hp;
    bar.textContent = everUp ? t('reconnecting') : t('connecting');
    const pre = showPrechat();
    if (pre && !prechatEl) body.prepend((prechatEl = prechatView()));
    if (prechatEl) prechatEl.hidden = !pre;
    list.hidden = pre;
    composer.hidden = pre || hp;
    typingEl.hidden = pre || agentTyping === null;
    queueEl.hidden = pre || hp || !queue;
    if (queue) queueEl.textContent = queue.ahead > 0 ? t('queue', { n: queue.ahead, m: Math.max(1, Math.round((queue.estimated_wait_ms || 0) / 60000)) }) : t('queueNext');
    if (agentTyping !== null) {
      typingEl.replaceChildren(h('span', { class: 'dots' }, h('i'), h('i'), h('i')), agentTyping ? t('typing', { name: agentTyping }) : t('agentTyping'));
    }
    if (!pre) renderList(scroll);
  }

  function renderList(force: boolean): void {
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const want: HTMLElement[] = [];
    const used = new Set<string>();
    const put = (key: string, sig: string, build: () => HTMLElement) => {
      let r = rows.get(key);
      if (!r || r.sig !== sig) rows.set(key, (r = { sig, el: build() }));
      used.add(key);
      want.push(r.el);
    };
    if (inbox.greeting) put('greet', inbox.greeting + inbox.name, () => row({ who: 'agent', name: inbox.name || t('agent'), text: inbox.greeting!, atts: [], greet: true }));
    if (!online) put('off', String(offlineDone), offlineCard);

    let lastMine = -1;
    let ask = -1; // the bot answer that gets "did this help?": the latest, if only system lines follow it
    msgs.forEach((m, i) => {
      if (m.sender_type === 'customer') lastMine = i;
      if (m.sender_type === 'bot') ask = ASK.test(m.text || '') ? i : -1;
      else if (m.sender_type !== 'system') ask = -1;
    });
    if (outbox.length) ask = -1;
    let prevWho = '';
    let prevTime = 0;
    const stamp = (ms: number, key: string) => {
      if (ms && ms - prevTime > 5 * 60_000) put('t:' + key, when(ms), () => h('div', { class: 'ts' }, when(ms)));
      if (ms) prevTime = ms;
    };
    msgs.forEach((m, i) => {
      const who = m.sender_type === 'customer' ? 'customer' : m.sender_type === 'bot' ? 'bot' : m.sender_type === 'system' ? 'system' : 'agent';
      const ms = m.created_at ? Date.parse(m.created_at) || 0 : 0;
      stamp(ms, m.id);
      const mine = who === 'customer';
      const status = mine && m.conversation_id === convId && m.seq <= agentRead ? 'read' : 'sent';
      const key = 'm:' + m.id;
      const cont = prevWho === who + (m.sender_name || '') && who !== 'system';
      prevWho = who + (m.sender_name || '');
      const meta = i === lastMine ? (status === 'read' ? 'read' : 'delivered') : '';
      const f = i !== ask ? '' : typeof fb[m.id] === 'number' ? String(fb[m.id]) : 'ask';
      const sv = who === 'system' && survey && SURVEY.exec(m.text || '')?.[1] === survey.token;
      put(key, [status, cont, meta, f, sv].join(), () =>
        row({ who, name: who === 'bot' ? t('bot') : m.sender_name || t('agent'), text: m.text || '', atts: m.attachments || [], seq: m.seq, status, cont, meta: meta as Key, fb: f && m.id, sv }),
      );
      if (sv) put('sv', survey!.token, () => survey!.el);
    });
    if (survey && !used.has('sv')) put('sv', survey.token, () => survey!.el);
    for (const p of outbox) {
      stamp(p.created, p.client_id);
      const cont = prevWho === 'customer';
      prevWho = 'customer';
      const status = p.failed ? 'failed' : 'sending';
      put('p:' + p.client_id, [status, p.upload, cont, p.attachments.length].join(), () =>
        row({ who: 'customer', name: '', text: p.upload ? t('uploading', { name: p.upload }) : p.text, atts: p.attachments, status, cont, pending: p }),
      );
    }
    want.forEach((el, i) => {
      if (list.children[i] !== el) list.insertBefore(el, list.children[i] || null);
    });
    while (list.children.length > want.length) list.lastElementChild!.remove();
    for (const k of rows.keys()) if (!used.has(k)) rows.delete(k);
    if (force || atBottom) list.scrollTop = msgs.length || outbox.length ? list.scrollHeight : 0;
  }

  interface RowData {
    who: string;
    name: string;
    text: string;
    atts: Att[];
    seq?: number;
    status?: string;
    cont?: boolean;
    meta?: Key | '';
    greet?: boolean;
    pending?: Pending;
    fb?: string; // the message id when it gets "did this help?"
    sv?: boolean | null; // a system line whose survey link has its card below: the link is left out
  }

  function row(d: RowData): HTMLElement {
    const attrs = d.greet
      ? { class: 'row', 'data-testid': 'widget-greeting' }
      : { class: 'row', 'data-testid': 'widget-message', 'data-seq': d.seq == null ? '' : d.seq, 'data-sender': d.who, 'data-status': d.status };
    if (d.who === 'system') {
      // A survey link "/survey/<token>" opens the survey page on the kefu server, or is left out when the card shows.
      const m = SURVEY.exec(d.text);
      const sys = h('div', { class: 'sys' }, m ? d.text.slice(0, m.index) : d.text);
      if (m) {
        if (!d.sv) sys.append(h('a', { href: base + '/survey/' + m[1], target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'widget-survey-link' }, t('svRate')));
        sys.append(d.text.slice(m.index + m[0].length));
      }
      return h('div', attrs, sys);
    }
    const el = h('div', attrs);
    const mine = d.who === 'customer';
    el.className = 'row' + (mine ? ' me' : '') + (d.cont ? ' ct' : '') + (d.status === 'sending' ? ' sd' : '') + (d.pending?.upload ? ' up' : '') + (d.status === 'failed' ? ' fl' : '');
    const col = h('div', { class: 'col' });
    if (!mine) {
      const bot = d.who === 'bot';
      el.append(h('div', { class: 'av' + (bot ? ' bot' : '') + (d.cont ? ' ph' : '') }, bot ? icon(ICON.bot, 's') : (d.name || '?').trim().slice(0, 1).toUpperCase()));
      if (!d.cont) col.append(h('div', { class: 'nm' }, d.name));
    }
    if (d.text) {
      const bb = h('div', { class: 'bb' });
      linkify(bb, d.text);
      col.append(bb);
    }
    for (const a of d.atts) {
      const url = abs(a.url || '');
      if (/^image\//.test(a.content_type)) {
        const img = h('img', { src: url, alt: a.name || t('image'), loading: 'lazy' });
        img.addEventListener('load', () => {
          if (list.scrollHeight - list.scrollTop - list.clientHeight < img.height + 120) list.scrollTop = list.scrollHeight;
        });
        col.append(h('a', { class: 'img', href: url, target: '_blank', rel: 'noopener noreferrer' }, img));
      } else {
        col.append(
          h('a', { class: 'fa', href: url, target: '_blank', rel: 'noopener noreferrer', download: a.name },
            icon(ICON.file, 's'),
            h('span', null, h('span', { class: 'fn' }, a.name), h('span', { class: 'fz' }, fmtSize(a.size || 0))),
          ),
        );
      }
    }
    if (d.status === 'sending' && !d.pending?.upload) col.append(h('div', { class: 'mt' }, t('sending')));
    if (d.status === 'failed') {
      const p = d.pending!;
      col.append(
        h('div', { class: 'mt er', title: p.failed }, t('failed'),
          h('button', { type: 'button', 'data-testid': 'widget-retry', onclick: () => {
            p.failed = undefined;
            saveOutbox();
            flush();
            update();
          } }, t('retry')),
        ),
      );
    }
    if (d.fb) col.append(fbView(d.fb));
    if (d.meta) col.append(h('div', { class: 'mt' + (d.meta === 'read' ? ' rd' : '') }, t(d.meta)));
    el.append(col);
    return el;
  }

  /** "Did this help?" under a bot answer: two buttons, then thanks (and, if not, a way to a person). */
  function fbView(id: string): HTMLElement {
    const v = fb[id];
    const btn = (yes: boolean) =>
      h('button', { class: 'fbb', type: 'button', 'data-testid': 'widget-feedback-' + (yes ? 'yes' : 'no'), onclick: () => feedback(id, yes) }, t(yes ? 'fbYes' : 'fbNo'));
    if (typeof v !== 'number') return h('div', { class: 'fb', role: 'group', 'aria-label': t('fbAsk') }, btn(true), btn(false));
    return h('div', { class: 'fb' },
      h('span', { class: 'fbd', 'data-testid': 'widget-feedback-done' }, icon(ICON.ok, 's'), t('fbThanks')),
      !v &&
        h('span', { class: 'fbh' }, t('fbRetry'),
          h('button', { class: 'lk2', type: 'button', 'data-testid': 'widget-feedback-human', onclick: () => {
            enqueue({ client_id: uuid(), text: t('fbHumanMsg'), attachments: [], created: Date.now() });
          } }, t('fbHuman')),
        ),
    );
  }

  function field(label: string, inp: HTMLElement): HTMLElement {
    return h('label', { class: 'f' }, h('span', null, label), inp);
  }

  function prechatView(): HTMLElement {
    const fields = (inbox.prechat_fields && inbox.prechat_fields.length ? inbox.prechat_fields : PRECHAT_FIELDS).filter((f) => PRECHAT_FIELDS.includes(f));
    const ph: Record<string, Key> = { name: 'prechatNamePh', phone: 'prechatPhonePh', order_no: 'prechatOrderPh' };
    const inputs: Record<string, HTMLInputElement> = {};
    const err = h('div', { class: 'err', role: 'alert' });
    const done = () => {
      markPrechat();
      update(true);
      input.focus();
    };
    const form = h('form', { class: 'pc', novalidate: true, 'data-testid': 'widget-prechat' },
      h('div', { class: 'pc-h' }, t('prechatTitle')),
      h('p', { class: 'pc-p' }, t('prechatHint')),
      fields.map((f) => {
        const inp = (inputs[f] = h('input', {
          class: 'in', name: f, maxlength: f === 'phone' ? 24 : 64, placeholder: t(ph[f]), 'data-testid': 'widget-prechat-' + f,
          type: f === 'phone' ? 'tel' : 'text', autocomplete: f === 'name' ? 'name' : f === 'phone' ? 'tel' : 'off',
        }));
        return field(t(('prechat_' + f) as Key), inp);
      }),
      err,
      h('button', { class: 'btn', type: 'submit', 'data-testid': 'widget-prechat-submit' }, t('prechatSubmit')),
      h('button', { class: 'lnk', type: 'button', 'data-testid': 'widget-prechat-skip', onclick: done }, t('prechatSkip')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v: Record<string, string> = {};
      for (const f of PRECHAT_FIELDS) v[f] = (inputs[f]?.value || '').trim();
      v.phone = v.phone.replace(/[\s-]/g, '');
      if (v.phone && !/^\+?\d{5,20}$/.test(v.phone)) {
        err.textContent = t('badPhone');
        inputs.phone?.classList.add('bad');
        inputs.phone?.focus();
        return;
      }
      if (v.name || v.phone || v.order_no) {
        prechatInfo = v;
        prechatFrame = { type: 'prechat', name: v.name, phone: v.phone, order_no: v.order_no };
        conn.start();
        flush();
      }
      done();
    });
    form.addEventListener('input', () => {
      err.textContent = '';
      inputs.phone?.classList.remove('bad');
    });
    return form;
  }

  function offlineCard(): HTMLElement {
    if (offlineDone) return h('div', { class: 'card ok', 'data-testid': 'widget-offline-thanks' }, icon(ICON.ok, 's'), t('offlineThanks'));
    const name = h('input', { class: 'in', maxlength: 64, autocomplete: 'name', 'data-testid': 'widget-offline-name' });
    const contact = h('input', { class: 'in', maxlength: 120, autocomplete: 'tel', 'data-testid': 'widget-offline-contact' });
    const text = h('textarea', { class: 'in', rows: 2, maxlength: 2000, placeholder: t('offlineTextPh'), 'data-testid': 'widget-offline-text' });
    name.value = prechatInfo.name || '';
    contact.value = prechatInfo.phone || '';
    const err = h('div', { class: 'err', role: 'alert' });
    const btn = h('button', { class: 'btn', type: 'submit', 'data-testid': 'widget-offline-submit' }, t('offlineSubmit'));
    const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'widget-offline-form' },
      h('div', { class: 'card-h' }, icon('M4 4h16a2 2 0 012 2v12a2 2 0 01-2 2H4a2 2 0 01-2-2V6a2 2 0 012-2zM22 6l-10 7L2 6', 's'), t('offlineTitle')),
      h('p', { class: 'card-p' }, inbox.offline_message || t('offlineHint')),
      field(t('offlineName'), name),
      field(t('offlineContact'), contact),
      field(t('offlineText'), text),
      err,
      btn,
      h('p', { class: 'card-n' }, t('offlineOr')),
    );
    form.addEventListener('input', () => (err.textContent = ''));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const c = contact.value.trim();
      const msg = text.value.trim();
      let phone = '';
      let email = '';
      if (!c) err.textContent = t('offlineNeedContact');
      else if (c.includes('@')) {
        if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c)) email = c;
        else err.textContent = t('offlineBadContact');
      } else if (/^\+?\d{5,20}$/.test(c.replace(/[\s-]/g, ''))) phone = c.replace(/[\s-]/g, '');
      else err.textContent = t('offlineBadContact');
      if (!err.textContent && !msg) err.textContent = t('offlineNeedText');
      if (err.textContent) return;
      btn.disabled = true;
      try {
        await sessionReady;
        await post('/widget/v1/offline', { visitor_token: visitor, name: name.value.trim(), phone, email, text: msg });
        offlineDone = true;
        store.set('session', K.prechat + '_off', '1');
        markPrechat();
        update();
      } catch {
        err.textContent = t('error');
        btn.disabled = false;
      }
    });
    return form;
  }

  // ---- public API: window.kefu(cmd, arg) ----
  async function identify(o: Identity): Promise<unknown> {
    if (!o || o.user_id == null || !o.signature) throw new Error('kefu: identify needs user_id and signature');
    await sessionReady;
    const r = await post('/widget/v1/identify', {
      visitor_token: visitor,
      user_id: String(o.user_id),
      name: o.name || undefined,
      email: o.email || undefined,
      phone: o.phone || undefined,
      signature: o.signature,
    });
    loadOrders();
    return r;
  }

  /** Shows the orders tab when the visitor may see orders (the shop identified them), refreshed; hides it otherwise. */
  async function loadOrders(): Promise<void> {
    await sessionReady;
    orders ||= ordersView(base, () => visitor);
    hasOrders = await orders.load();
    // Remembered, so the next page asks at once (an anonymous visitor is not asked in vain on every page).
    store.set('local', K.ord, hasOrders ? '1' : null);
    if (!hasOrders && tab === 'orders') setTab('chat');
    update();
  }

  const kefu: KefuFn = (cmd: string, arg?: unknown) => {
    switch (cmd) {
      case 'open':
        // kefu('open') shows the chat; kefu('open', 'help') the help search; kefu('open', 'orders') the orders, if shown.
        setTab(tabOf(arg));
        return setOpen(true);
      case 'close':
        return setOpen(false);
      case 'identify':
        return identify(arg as Identity);
      case 'debug:dropSocket':
        return conn.drop();
      default:
        console.warn('[kefu] unknown command', cmd);
    }
  };
  const queued = win.kefu && Array.isArray(win.kefu.q) ? win.kefu.q : [];
  win.kefu = kefu;
  for (const args of queued) {
    const r = kefu(...(Array.from(args) as [string, unknown]));
    if (r instanceof Promise) r.catch((e) => console.warn('[kefu]', e));
  }

  // ---- start ----
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      conn.kick();
      maybeRead();
      update();
    }
  });
  window.addEventListener('online', () => conn.kick());
  // Any element of the shop with data-kefu-open (e.g. a "联系客服" link) opens the chat.
  document.addEventListener('click', (e) => {
    const el = e.target instanceof Element ? e.target.closest('[data-kefu-open]') : null;
    if (el) {
      e.preventDefault();
      setTab(tabOf(el.getAttribute('data-kefu-open')));
      setOpen(true);
    }
  });

  const mount = () => {
    const sheet = typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype ? new CSSStyleSheet() : null;
    if (sheet) {
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else root.append(h('style', null, CSS));
    root.append(wrap);
    document.body.append(host);
    built = true;
    update();
    if (wantOpen) setOpen(true);
  };

  startSession().then(
    () => {
      resolveReady();
      if (convId || outbox.length) conn.start();
      if (store.get('local', K.ord)) loadOrders();
      if (document.body) mount();
      else document.addEventListener('DOMContentLoaded', mount);
    },
    () => {
      /* disabled: logged */
    },
  );
}
