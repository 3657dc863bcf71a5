import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App, Badge, Button, Drawer, Skeleton, Tooltip } from 'antd';
import { BellOutlined, CustomerServiceOutlined, MutedOutlined, QuestionCircleOutlined, SoundOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type {
  CannedReply,
  Contact,
  Conversation,
  ConversationList as ConversationPage,
  ConversationStatus,
  ConversationView,
  ListResponse,
  Priority,
  SearchMessageHit,
} from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import LoadError from '../../components/LoadError';
import { noticeText } from '../../components/NoticesBell';
import { beep, desktopNotify, notifyPermission, requestNotifyPermission } from '../../lib/alerts';
import type { NotifyPermission } from '../../lib/alerts';
import { useApiError } from '../../lib/errors';
import { useAgentSocket } from '../../lib/useAgentSocket';
import type { AgentFrame } from '../../lib/useAgentSocket';
import { useActivityPing } from '../../lib/routing';
import { useApiList } from '../../lib/useApiList';
import { useCursorList } from '../../lib/useCursorList';
import { useDirectory } from '../../lib/useDirectory';
import { useMediaQuery } from '../../lib/useMediaQuery';
import AssistPanel from './AssistPanel';
import Composer from './Composer';
import type { ComposerHandle } from './Composer';
import ConversationHeader from './ConversationHeader';
import type { HeaderActions } from './ConversationHeader';
import ConversationList from './ConversationList';
import type { ListFilters } from './ConversationList';
import CustomerPanel from './CustomerPanel';
import MessageList from './MessageList';
import { contactName, messagePreview } from '../../lib/conversations';
import SearchBox from './SearchBox';
import ShortcutHelp from './ShortcutHelp';
import TransferModal from './TransferModal';
import type { TransferValues } from './TransferModal';
import { convPath, mergeConversation, useConversation } from './useConversation';

const PAGE = 50;
const VIEW_KEY = 'kefu.inbox.view';
const SOUND_KEY = 'kefu.inbox.sound';
const REFRESH_MS = 1500;
const CANNED_STALE_MS = 60_000;
const NEW_CONVERSATION_MS = 2 * 60_000;

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // ignore
  }
}

const quiet = () => {};

/** The agents' workspace: conversation list, the open conversation, and the customer at its side, all live. */
export default function InboxPage() {
  const { t } = useTranslation();
  const { me, has } = useAuth();
  const user = me!.user;
  const { message, notification } = App.useApp();
  const showError = useApiError();
  const navigate = useNavigate();
  const { id: openId } = useParams();
  const [params] = useSearchParams();
  const seqParam = Number(params.get('seq')) || 0;
  const narrow = useMediaQuery('(max-width: 1279px)');

  const views = useMemo(() => {
    const v: ConversationView[] = ['mine', 'unassigned'];
    if (has('conversations.view.team') || has('conversations.view.all')) v.push('team');
    if (has('conversations.view.all')) v.push('all');
    return v;
  }, [has]);
  const [view, setView] = useState<ConversationView>(() => {
    const s = stored(VIEW_KEY) as ConversationView | null;
    return s && views.includes(s) ? s : 'mine';
  });
  // Until the agent picks a tab, an empty "mine" gives way to the first tab with work in it.
  const autoView = useRef(stored(VIEW_KEY) === null);
  const [filters, setFilters] = useState<ListFilters>({ status: 'open' });
  const [counts, setCounts] = useState<Partial<Record<ConversationView, number>>>({});
  const [focus, setFocus] = useState<{ seq: number; at: number } | null>(() => (seqParam ? { seq: seqParam, at: 0 } : null));
  const [transferOpen, setTransferOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [sideOpen, setSideOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [perm, setPerm] = useState<NotifyPermission>(notifyPermission);
  const [sound, setSound] = useState(() => stored(SOUND_KEY) !== 'off');
  const composerRef = useRef<ComposerHandle>(null);
  const seen = useRef(new Set<string>());
  const readSent = useRef(new Map<string, number>());
  const refreshTimer = useRef<number | undefined>(undefined);

  const canReply = has('conversations.reply');
  const canAssign = has('conversations.assign');
  const dir = useDirectory(quiet);
  const canned = useApiList<CannedReply>('/canned-replies', quiet, canReply);
  const cannedAt = useRef(Date.now());

  const fetchPage = useCallback(
    async (cursor?: string) => {
      const res = await api.get<ConversationPage>('/conversations', {
        view,
        status: filters.status,
        channel: filters.channel,
        label: filters.label,
        cursor,
        limit: PAGE,
      });
      if (!cursor && res.counts) setCounts(res.counts);
      return res;
    },
    [view, filters],
  );
  const list = useCursorList(fetchPage, showError);
  const { items, setItems, reset } = list;
  // Timers and socket callbacks must reload with the filters of now, not of when they were set.
  const resetRef = useRef(reset);
  useEffect(() => {
    resetRef.current = reset;
  }, [reset]);

  const open = useConversation(openId, { id: user.id, name: user.name }, showError);
  const conv = open.conv;

  useEffect(() => {
    for (const c of items) seen.current.add(c.id);
  }, [items]);

  useEffect(() => {
    if (!autoView.current || list.loading || Object.keys(counts).length === 0) return;
    autoView.current = false;
    if (view !== 'mine' || items.length > 0) return;
    const next = views.find((v) => v !== 'mine' && (counts[v] ?? 0) > 0);
    if (next) setView(next);
  }, [counts, list.loading, items.length, view, views]);

  useEffect(() => {
    if (seqParam) setFocus({ seq: seqParam, at: Date.now() });
  }, [openId, seqParam]);

  useEffect(() => () => window.clearTimeout(refreshTimer.current), []);

  const myTeams = useMemo(() => new Set(dir.agent(user.id)?.team_ids ?? []), [dir, user.id]);

  /** Whether a conversation belongs in the list as it is filtered now. */
  const matches = (c: Conversation) =>
    c.status === filters.status &&
    (!filters.channel || c.channel === filters.channel) &&
    (!filters.label || (c.labels ?? []).includes(filters.label)) &&
    (view === 'all' ||
      (view === 'mine' && c.assignee_id === user.id) ||
      (view === 'unassigned' && !c.assignee_id) ||
      (view === 'team' && (myTeams.size === 0 || myTeams.has(c.team_id))));

  /** Reloads the first page (and the counts) soon; many changes at once make one reload. */
  const scheduleRefresh = () => {
    if (refreshTimer.current !== undefined) return;
    refreshTimer.current = window.setTimeout(() => {
      refreshTimer.current = undefined;
      void resetRef.current();
    }, REFRESH_MS);
  };

  /** Puts a changed conversation into the list, or takes it out when it no longer fits the filters. */
  const applyToList = (c: Conversation) => {
    if (!c?.id) return;
    if (matches(c)) setItems((prev) => prev.map((x) => (x.id === c.id ? mergeConversation(x, c) : x)));
    else setItems((prev) => prev.filter((x) => x.id !== c.id));
    scheduleRefresh();
  };

  const openConversation = useCallback(
    (id: string, seq?: number) => {
      setFocus(seq ? { seq, at: Date.now() } : null);
      setSideOpen(false);
      navigate(`/inbox/${encodeURIComponent(id)}${seq ? `?seq=${seq}` : ''}`);
    },
    [navigate],
  );

  const alert = (title: string, body: string, id: string) => {
    if (sound) beep();
    desktopNotify(title, body, id, () => openConversation(id));
  };

  const onFrame = (f: AgentFrame) => {
    switch (f.type) {
      case 'conversation': {
        const c = f.conversation;
        if (!c?.id) return;
        const fresh =
          !seen.current.has(c.id) && c.status === 'open' && Date.now() - new Date(c.created_at).getTime() < NEW_CONVERSATION_MS;
        seen.current.add(c.id);
        applyToList(c);
        open.applyConversation(c);
        if (fresh) alert(t('inbox.notify.newTitle'), t('inbox.notify.newBody', { name: contactName(t, c), text: messagePreview(t, c.last_message) }), c.id);
        break;
      }
      case 'message': {
        const cid = f.conversation_id || f.message?.conversation_id;
        if (!f.message || !cid) return;
        const m = { ...f.message, conversation_id: cid };
        const known = items.find((c) => c.id === cid);
        setItems((prev) =>
          prev.map((c) =>
            c.id === cid
              ? {
                  ...c,
                  last_message: m,
                  last_message_at: m.created_at,
                  last_seq: Math.max(c.last_seq, m.seq),
                  unread: m.sender_type === 'customer' && cid !== openId ? c.unread + 1 : c.unread,
                  waiting_since:
                    m.sender_type === 'customer' ? (c.waiting_since ?? m.created_at) : m.sender_type === 'agent' && !m.private ? null : c.waiting_since,
                }
              : c,
          ),
        );
        if (!known && m.sender_type === 'customer') scheduleRefresh();
        open.applyMessage(m);
        if (m.sender_type === 'customer' && known?.assignee_id === user.id && (document.hidden || cid !== openId))
          alert(t('inbox.notify.messageTitle', { name: contactName(t, known) }), messagePreview(t, m), cid);
        break;
      }
      case 'typing':
        open.applyTyping(f.conversation_id, f.who, f.on, f.name);
        break;
      case 'read':
        open.applyRead(f.conversation_id, f.seq);
        break;
      case 'notice': {
        const n = f.notice;
        if (!n) return;
        window.dispatchEvent(new Event('kefu:notices'));
        const cid = typeof n.data?.conversation_id === 'string' ? n.data.conversation_id : '';
        notification.info({
          title: t('inbox.noticeTitle'),
          description: noticeText(t, n),
          placement: 'bottomRight',
          onClick: cid ? () => openConversation(cid) : undefined,
          style: cid ? { cursor: 'pointer' } : undefined,
        });
        if (document.hidden) alert(t('inbox.noticeTitle'), noticeText(t, n), cid || n.id);
        break;
      }
    }
  };

  const socket = useAgentSocket(onFrame, () => {
    void resetRef.current();
    void open.catchUp();
  });
  useActivityPing(socket.send);

  // Tell the server what the agent has seen of the open conversation.
  const lastSeq = open.lastSeq;
  const convId = conv?.id;
  const sendFrame = socket.send;
  useEffect(() => {
    if (!convId || !lastSeq) return;
    const mark = () => {
      if (document.visibilityState !== 'visible') return;
      if ((readSent.current.get(convId) ?? 0) >= lastSeq) return;
      readSent.current.set(convId, lastSeq);
      if (!sendFrame({ type: 'read', conversation_id: convId, seq: lastSeq }))
        api.post(`${convPath(convId)}/read`, { seq: lastSeq }).catch(quiet);
      setItems((prev) => prev.map((c) => (c.id === convId ? { ...c, unread: 0, agent_read_seq: lastSeq } : c)));
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [convId, lastSeq, sendFrame, setItems]);

  const run = async (key: string, fn: () => Promise<Conversation>, success?: string) => {
    setBusy(key);
    try {
      const c = await fn();
      applyToList(c);
      if (success) message.success(success);
    } catch (err) {
      showError(err);
      void open.catchUp();
    } finally {
      setBusy(null);
    }
  };

  const actions: HeaderActions = {
    assignMe: () => void run('assign', () => open.act('assign', { assignee_id: user.id }), t('inbox.assignedToMe')),
    unassign: () => void run('assign', () => open.act('assign', { assignee_id: null }), t('inbox.unassignedMsg')),
    transfer: () => setTransferOpen(true),
    setStatus: (status: ConversationStatus, until?: string) =>
      void run(status, () => open.act('status', until ? { status, snoozed_until: until } : { status }), t(`inbox.statusMsg.${status}`)),
    setPriority: (priority: Priority) => void run('priority', () => open.patch({ priority })),
    setLabels: (labels: string[]) => void run('labels', () => open.patch({ labels })),
    setIntent: (intent: string) => void run('intent', () => open.patch({ intent }), t('inbox.intent.saved')),
    setComplaint: (p) => void run('complaint', () => open.patch(p), t('complaint.saved')),
  };

  const transfer = async (v: TransferValues) => {
    const body: Record<string, string> = { note: v.note };
    if (v.assignee_id) body.assignee_id = v.assignee_id;
    if (v.team_id) body.team_id = v.team_id;
    const c = await open.act('transfer', body);
    applyToList(c);
    message.success(t('inbox.transferredMsg'));
  };

  const openContact = async (c: Contact) => {
    try {
      const res = await api.get<ListResponse<Conversation>>(`/contacts/${encodeURIComponent(c.id)}/conversations`);
      const latest = [...(res.items ?? [])].sort((a, b) => (b.last_message_at || '').localeCompare(a.last_message_at || ''))[0];
      if (latest) openConversation(latest.id);
      else if (has('contacts.view')) navigate(`/contacts/${encodeURIComponent(c.id)}`);
      else message.info(t('inbox.search.noConversations'));
    } catch (err) {
      showError(err);
    }
  };

  const labelOptions = useMemo(() => {
    const s = new Set<string>();
    for (const c of items) for (const l of c.labels ?? []) s.add(l);
    for (const l of conv?.labels ?? []) s.add(l);
    if (filters.label) s.add(filters.label);
    return [...s].sort();
  }, [items, conv?.labels, filters.label]);

  // Keyboard shortcuts. Ctrl+Enter works everywhere; the others not while typing.
  const keys = useRef<(e: KeyboardEvent) => void>(quiet);
  keys.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || transferOpen || helpOpen) return;
    const target = e.target as HTMLElement | null;
    if (target?.closest?.('.ant-modal, .ant-drawer, .ant-dropdown, .ant-select-dropdown, .ant-picker-dropdown')) return;
    const typing = !!target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      if (conv && conv.status !== 'resolved') {
        e.preventDefault();
        actions.setStatus('resolved');
      }
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    const idx = items.findIndex((c) => c.id === openId);
    switch (e.key) {
      case 'j':
      case 'J': {
        const next = items[idx + 1] ?? (idx < 0 ? items[0] : undefined);
        if (next) openConversation(next.id);
        break;
      }
      case 'k':
      case 'K': {
        const prev = idx > 0 ? items[idx - 1] : undefined;
        if (prev) openConversation(prev.id);
        break;
      }
      case 'a':
      case 'A':
        if (conv && conv.assignee_id !== user.id) actions.assignMe();
        break;
      case '/':
        if (conv && canReply) {
          e.preventDefault();
          composerRef.current?.focus('reply', true);
        }
        break;
      case 'n':
      case 'N':
        if (conv && canReply) {
          e.preventDefault();
          composerRef.current?.focus('note');
        }
        break;
      case '?':
        setHelpOpen(true);
        break;
      default:
        return;
    }
  };
  useEffect(() => {
    const h = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);

  const enableNotifications = async () => {
    beep(); // a user gesture: lets the page make sounds from now on
    const p = await requestNotifyPermission();
    setPerm(p);
    if (p === 'granted') {
      message.success(t('inbox.notify.enabled'));
      desktopNotify(t('inbox.notify.testTitle'), t('inbox.notify.testBody'), 'kefu-test');
    } else if (p === 'denied') message.warning(t('inbox.notify.denied'));
  };

  const toggleSound = () => {
    const next = !sound;
    setSound(next);
    store(SOUND_KEY, next ? 'on' : 'off');
    if (next) beep();
  };

  // The customer's latest message with text: agent assist answers it.
  const customerSeq = useMemo(() => {
    for (let i = open.messages.length - 1; i >= 0; i--) {
      const m = open.messages[i];
      if (m.sender_type === 'customer' && !m.pending && m.text?.trim()) return m.seq;
    }
    return 0;
  }, [open.messages]);

  // A return or attached order on the timeline: the side panel's orders and returns reload.
  const ordersTick = useMemo(() => (open.events ?? []).filter((e) => e.type === 'return' || e.type === 'order_attached').length, [open.events]);

  // A task created or updated on the timeline: the side panel's tasks reload.
  const tasksTick = useMemo(() => (open.events ?? []).filter((e) => e.type === 'task_created' || e.type === 'task_updated').length, [open.events]);

  const panel = conv && (
    <CustomerPanel
      conv={conv}
      messages={open.messages}
      canViewContact={has('contacts.view')}
      canViewOrders={has('orders.view')}
      ordersTick={ordersTick}
      tasksTick={tasksTick}
      canReply={canReply}
      onInsert={(text) => {
        setSideOpen(false);
        composerRef.current?.insert(text);
      }}
      onOpen={openConversation}
      onJump={(seq) => {
        setSideOpen(false);
        setFocus({ seq, at: Date.now() });
      }}
      onError={quiet}
    />
  );

  const main = () => {
    if (!openId) {
      return (
        <div className="kf-inbox-placeholder">
          <div className="kf-inbox-placeholder-icon">
            <CustomerServiceOutlined />
          </div>
          <div className="kf-inbox-placeholder-title">{t('inbox.pickTitle')}</div>
          <div className="kf-inbox-placeholder-sub">{t('inbox.pickSub')}</div>
        </div>
      );
    }
    if (open.loadError) {
      return <LoadError error={open.loadError} notFound={t('inbox.notFound')} backLabel={t('inbox.backToList')} onBack={() => navigate('/inbox')} />;
    }
    if (!conv) {
      return (
        <div style={{ padding: 24 }}>
          <Skeleton active avatar paragraph={{ rows: 6 }} />
        </div>
      );
    }
    return (
      <>
        <ConversationHeader
          conv={conv}
          meId={user.id}
          canAssign={canAssign}
          canReply={canReply}
          busy={busy}
          labelOptions={labelOptions}
          showEvents={open.showEvents}
          onShowEvents={open.setShowEvents}
          onShowCustomer={narrow ? () => setSideOpen(true) : undefined}
          onHelp={() => setHelpOpen(true)}
          actions={actions}
        />
        <MessageList
          conv={conv}
          messages={open.messages}
          events={open.events}
          showEvents={open.showEvents}
          loading={open.loading}
          customerTyping={open.customerTyping}
          agentTyping={open.agentTyping}
          focus={focus}
          onRetry={open.retry}
          agentName={dir.agentName}
          teamName={dir.teamName}
        />
        {canReply && <AssistPanel conversationId={conv.id} customerSeq={customerSeq} onInsert={(text) => composerRef.current?.insert(text)} />}
        <Composer
          ref={composerRef}
          conversationId={conv.id}
          canReply={canReply}
          agents={dir.agents}
          canned={canned.items}
          onCannedOpen={() => {
            if (Date.now() - cannedAt.current > CANNED_STALE_MS) {
              cannedAt.current = Date.now();
              void canned.reload();
            }
          }}
          onSend={open.send}
          onTyping={(cid, on) => socket.send({ type: 'typing', conversation_id: cid, on })}
        />
      </>
    );
  };

  return (
    <div className="kf-inbox" data-testid="inbox">
      <div className="kf-inbox-head">
        <div className="kf-inbox-title">
          <span className="kf-inbox-h">{t('inbox.title')}</span>
          <Tooltip title={t(`inbox.socket.${socket.state}Tip`)}>
            <span className={`kf-conn ${socket.state}`} data-testid="socket-state" data-state={socket.state}>
              <Badge status={socket.state === 'open' ? 'success' : socket.state === 'connecting' ? 'default' : 'warning'} />
              {t(`inbox.socket.${socket.state}`)}
            </span>
          </Tooltip>
        </div>
        <SearchBox onOpenMessage={(h: SearchMessageHit) => openConversation(h.conversation_id, h.seq)} onOpenContact={(c) => void openContact(c)} />
        <div style={{ flex: 1 }} />
        {perm === 'default' && (
          <Button size="small" icon={<BellOutlined />} onClick={() => void enableNotifications()} data-testid="enable-notifications">
            {t('inbox.notify.enable')}
          </Button>
        )}
        {perm === 'granted' && (
          <span className="kf-inbox-head-note">
            <BellOutlined /> {t('inbox.notify.on')}
          </span>
        )}
        {perm === 'denied' && (
          <Tooltip title={t('inbox.notify.deniedTip')}>
            <span className="kf-inbox-head-note muted">
              <BellOutlined /> {t('inbox.notify.blocked')}
            </span>
          </Tooltip>
        )}
        <Tooltip title={sound ? t('inbox.soundOff') : t('inbox.soundOn')}>
          <Button size="small" type="text" icon={sound ? <SoundOutlined /> : <MutedOutlined />} onClick={toggleSound} data-testid="sound-toggle" />
        </Tooltip>
        <Tooltip title={t('inbox.shortcuts.title')}>
          <Button size="small" type="text" icon={<QuestionCircleOutlined />} onClick={() => setHelpOpen(true)} data-testid="shortcut-help-open" />
        </Tooltip>
      </div>
      <div className="kf-inbox-body">
        <ConversationList
          views={views}
          view={view}
          onView={(v) => {
            autoView.current = false;
            setView(v);
            store(VIEW_KEY, v);
          }}
          counts={counts}
          filters={filters}
          onFilters={setFilters}
          labelOptions={labelOptions}
          list={list}
          openId={openId}
          meId={user.id}
          onOpen={(id) => openConversation(id)}
        />
        <div className="kf-inbox-main">{main()}</div>
        {!narrow && panel && <div className="kf-inbox-side">{panel}</div>}
      </div>
      {narrow && (
        <Drawer open={sideOpen && !!panel} onClose={() => setSideOpen(false)} size={340} title={t('inbox.customer.title')} styles={{ body: { padding: 0 } }}>
          {panel}
        </Drawer>
      )}
      {conv && (
        <TransferModal open={transferOpen} conv={conv} dir={dir} meId={user.id} onClose={() => setTransferOpen(false)} onSubmit={transfer} />
      )}
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
