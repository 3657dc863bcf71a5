import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Avatar, Button, Image, Rate, Spin, Tag, Tooltip } from 'antd';
import {
  AlertOutlined,
  ArrowDownOutlined,
  CarryOutOutlined,
  CheckOutlined,
  ExclamationCircleFilled,
  FileOutlined,
  HistoryOutlined,
  LockOutlined,
  RobotOutlined,
  StarOutlined,
} from '@ant-design/icons';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Attachment, Conversation, ConversationEvent } from '../../api/types';
import { fmtTime } from '../../lib/format';
import { contactName, fileSize, isImage, priorityLabel, statusLabel } from '../../lib/conversations';
import { handoffReasonLabel, intentLabel } from '../../lib/labels';
import { targetLabel } from '../../lib/sla';
import { returnKindLabel, returnStateLabel } from '../../lib/returns';
import { complaintCategoryLabel, complaintSeverityLabel } from '../../lib/complaints';
import { departmentLabel, taskStatusLabel } from '../../lib/tasks';
import type { LocalMessage } from './useConversation';

type Row =
  | { type: 'day'; key: string; label: string }
  | { type: 'msg'; key: string; m: LocalMessage; grouped: boolean }
  | { type: 'event'; key: string; e: ConversationEvent };

// Events already visible as messages are not repeated in the timeline.
const HIDDEN_EVENTS = new Set(['message', 'note_added']);
// Events that show even with the timeline off: the receiver reads why first.
const ALWAYS_EVENTS = new Set(['transferred', 'handoff', 'order_attached', 'return', 'complaint', 'task_created', 'task_updated', 'survey_answered']);
const SURVEY_KINDS = ['csat', 'nps', 'both'];

function num(data: Record<string, unknown> | null | undefined, key: string): number | null {
  const v = data?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function eventIcon(type: string): ReactNode {
  if (type === 'handoff') return <RobotOutlined />;
  if (type === 'complaint') return <AlertOutlined />;
  if (type === 'task_created' || type === 'task_updated') return <CarryOutOutlined />;
  if (type === 'survey_sent' || type === 'survey_answered') return <StarOutlined />;
  return <HistoryOutlined />;
}

/** A customer's survey answer: CSAT stars, NPS score, comment, and a red "low" tag. */
function SurveyAnswer({ data }: { data: Record<string, unknown> | null }) {
  const { t } = useTranslation();
  const csat = num(data, 'csat');
  const nps = num(data, 'nps');
  const comment = str(data, 'comment');
  return (
    <>
      <div className="kf-event-survey" data-testid="survey-answer">
        {csat !== null && (
          <span>
            {t('inbox.ev.surveyCsat')} <Rate disabled value={csat} count={5} />
          </span>
        )}
        {nps !== null && <span data-testid="survey-nps">{t('inbox.ev.surveyNps', { n: nps })}</span>}
        {data?.low === true && (
          <Tag color="red" bordered={false} data-testid="survey-low">
            {t('inbox.ev.surveyLow')}
          </Tag>
        )}
      </div>
      {comment && <div className="kf-event-note">{comment}</div>}
    </>
  );
}
const GROUP_MS = 3 * 60 * 1000;

function dayLabel(t: TFunction, iso: string): string {
  const d = dayjs(iso);
  const now = dayjs();
  if (d.isSame(now, 'day')) return t('inbox.today');
  if (d.isSame(now.subtract(1, 'day'), 'day')) return t('inbox.yesterday');
  return d.format(d.isSame(now, 'year') ? 'MM-DD ddd' : 'YYYY-MM-DD ddd');
}

function str(data: Record<string, unknown> | null | undefined, ...keys: string[]): string {
  for (const k of keys) {
    const v = data?.[k];
    if (typeof v === 'string' && v) return v;
  }
  return '';
}

export function eventText(t: TFunction, e: ConversationEvent, name: (id: string) => string, team: (id: string) => string): string {
  const d = e.data ?? {};
  const actor = e.actor_name || (e.actor_type === 'customer' ? t('inbox.sender.customer') : t('inbox.ev.system'));
  // assigned: {from, to} (user ids); transferred: {to_assignee, to_team, note}.
  const assigneeId = str(d, 'assignee_id', 'to_assignee') || (e.type === 'assigned' ? str(d, 'to') : '');
  const assignee = str(d, 'assignee_name', 'to_name') || name(assigneeId) || assigneeId;
  const teamId = str(d, 'team_id', 'to_team');
  const teamName = str(d, 'team_name') || team(teamId) || teamId;
  switch (e.type) {
    case 'created':
      return t('inbox.ev.created');
    case 'assigned':
      if (str(d, 'reason') === 'auto') return t('inbox.ev.autoAssigned', { to: assignee || t('inbox.unassigned') });
      return t('inbox.ev.assigned', { actor, to: assignee || t('inbox.unassigned') });
    case 'unassigned':
      return t('inbox.ev.unassigned', { actor });
    case 'transferred':
      return t('inbox.ev.transferred', { actor, to: [assignee, teamName].filter(Boolean).join(' · ') || '—' });
    case 'status_changed':
      return t('inbox.ev.statusChanged', { actor, status: statusLabel(t, str(d, 'to', 'status')) });
    case 'reopened':
      return t('inbox.ev.reopened');
    case 'priority_changed': {
      const priority = priorityLabel(t, str(d, 'to', 'priority'));
      const reason = str(d, 'reason');
      if (reason === 'sla_breach') return t('inbox.ev.priorityBySla', { priority });
      if (reason === 'rule') return t('inbox.ev.priorityByRule', { actor, priority });
      return t('inbox.ev.priorityChanged', { actor, priority });
    }
    case 'queued':
      return t('inbox.ev.queued', { team: teamName || '—' });
    case 'overflowed': {
      const from = str(d, 'from');
      const to = str(d, 'to');
      return t('inbox.ev.overflowed', { from: team(from) || from || '—', to: team(to) || to || '—', n: Number(d.minutes ?? 0) });
    }
    case 'sla_warning':
    case 'sla_breach': {
      const due = str(d, 'due');
      const key = e.type === 'sla_warning' ? 'inbox.ev.slaWarning' : 'inbox.ev.slaBreach';
      return t(key, { target: targetLabel(t, str(d, 'target')), due: due ? dayjs(due).format('MM-DD HH:mm') : '—' });
    }
    case 'rule_fired':
      return t('inbox.ev.ruleFired', { rule: str(d, 'rule', 'rule_name') || str(d, 'rule_id') || '—' });
    case 'handoff': {
      const reason = str(d, 'reason');
      const intent = str(d, 'intent');
      const parts = [
        reason ? handoffReasonLabel(t, reason) : t('inbox.ev.handoffNoReason'),
        intent && intent !== 'other' ? t('inbox.ev.handoffIntent', { intent: intentLabel(t, intent) }) : '',
        d.angry === true && reason !== 'angry' ? t('inbox.ev.handoffAngry') : '',
      ];
      return t('inbox.ev.handoff', { detail: parts.filter(Boolean).join(' · ') });
    }
    case 'intent_changed': {
      const from = str(d, 'from');
      const to = str(d, 'to');
      return t('inbox.ev.intentChanged', {
        actor,
        from: from ? intentLabel(t, from) : t('inbox.intent.none'),
        to: to ? intentLabel(t, to) : t('inbox.intent.none'),
      });
    }
    case 'labels_changed': {
      const v = d.to ?? d.labels;
      const labels = Array.isArray(v) ? v.join(t('common.listSep')) : typeof v === 'string' ? v : '';
      return t('inbox.ev.labelsChanged', { actor, labels: labels || '—' });
    }
    case 'order_attached':
      return t('inbox.ev.orderAttached', { actor, no: str(d, 'shop_order_id', 'order_id') || '—' });
    case 'return': {
      const from = str(d, 'from');
      const to = str(d, 'to');
      const vars = { actor, no: str(d, 'shop_order_id') || '—', kind: returnKindLabel(t, str(d, 'kind')), to: returnStateLabel(t, to) };
      return from ? t('inbox.ev.returnMoved', vars) : t('inbox.ev.returnCreated', vars);
    }
    case 'complaint': {
      const category = str(d, 'category');
      const severity = str(d, 'severity');
      if (!category) return t('inbox.ev.complaintCleared', { actor });
      return t('inbox.ev.complaint', {
        actor,
        category: complaintCategoryLabel(t, category),
        severity: severity ? complaintSeverityLabel(t, severity) : t('complaint.noSeverity'),
      });
    }
    case 'task_created': {
      const ownerId = str(d, 'owner_id');
      const due = str(d, 'due_at');
      return t('inbox.ev.taskCreated', {
        actor,
        department: departmentLabel(t, str(d, 'department')),
        title: str(d, 'title') || '—',
        owner: (ownerId && (name(ownerId) || ownerId)) || t('tasks.noOwner'),
        due: due ? dayjs(due).format('MM-DD HH:mm') : '—',
      });
    }
    case 'task_updated': {
      const from = str(d, 'from');
      const to = str(d, 'to');
      const title = str(d, 'title') || '—';
      if (!to || from === to) return t('inbox.ev.taskEdited', { actor, title });
      return t('inbox.ev.taskUpdated', { actor, title, from: from ? taskStatusLabel(t, from) : '—', to: taskStatusLabel(t, to) });
    }
    case 'survey_sent': {
      const kind = str(d, 'kind');
      return t('inbox.ev.surveySent', { kind: SURVEY_KINDS.includes(kind) ? t(`inbox.ev.surveyKind.${kind}`) : kind || '—' });
    }
    case 'survey_answered':
      return t('inbox.ev.surveyAnswered');
    default:
      return t('inbox.ev.other', { actor, type: e.type });
  }
}

/** Note text with @mentions picked out. */
function withMentions(text: string): ReactNode {
  const parts = text.split(/(@[^\s@]+)/g);
  return parts.map((p, i) => (i % 2 === 1 ? <span key={i} className="kf-mention">{p}</span> : p));
}

function Attachments({ items }: { items: Attachment[] }) {
  return (
    <div className="kf-attachments">
      {items.map((a) =>
        isImage(a.content_type) ? (
          <Image key={a.id} src={a.url} alt={a.name} width={168} height={126} className="kf-thumb" />
        ) : (
          <a key={a.id} href={a.url} target="_blank" rel="noreferrer" className="kf-file" download={a.name}>
            <FileOutlined className="kf-file-icon" />
            <span className="kf-file-name">{a.name}</span>
            <span className="kf-file-size">{fileSize(a.size)}</span>
          </a>
        ),
      )}
    </div>
  );
}

interface Props {
  conv: Conversation;
  messages: LocalMessage[];
  events: ConversationEvent[] | null;
  showEvents: boolean;
  loading: boolean;
  customerTyping: boolean;
  agentTyping: string | null;
  /** A message to scroll to and flash (a search hit, a note); `at` makes the same seq jump again. */
  focus: { seq: number; at: number } | null;
  onRetry: (clientId: string) => void;
  agentName: (id: string) => string;
  teamName: (id: string) => string;
}

export default function MessageList({
  conv,
  messages,
  events,
  showEvents,
  loading,
  customerTyping,
  agentTyping,
  focus,
  onRetry,
  agentName,
  teamName,
}: Props) {
  const { t } = useTranslation();
  const boxRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const shownFor = useRef('');
  const lastKey = useRef('');
  const [newBelow, setNewBelow] = useState(0);
  const [flash, setFlash] = useState(0);

  const rows = useMemo(() => {
    const out: Row[] = [];
    // Transfers always show, with their note: the receiver reads why first.
    const evs = (events ?? []).filter((e) => !HIDDEN_EVENTS.has(e.type) && (showEvents || ALWAYS_EVENTS.has(e.type)));
    evs.sort((a, b) => a.created_at.localeCompare(b.created_at));
    let j = 0;
    let day = '';
    let prev: LocalMessage | null = null;
    const dayRow = (iso: string) => {
      const d = dayjs(iso).format('YYYY-MM-DD');
      if (d !== day) {
        day = d;
        out.push({ type: 'day', key: `day-${d}`, label: dayLabel(t, iso) });
        prev = null;
      }
    };
    const pushEvent = (e: ConversationEvent) => {
      dayRow(e.created_at);
      out.push({ type: 'event', key: `ev-${e.id}`, e });
      prev = null;
    };
    for (const m of messages) {
      if (!m.pending) while (j < evs.length && dayjs(evs[j].created_at).valueOf() <= dayjs(m.created_at).valueOf()) pushEvent(evs[j++]);
      dayRow(m.created_at);
      const p = prev as LocalMessage | null;
      const grouped =
        !!p &&
        p.sender_type === m.sender_type &&
        p.sender_name === m.sender_name &&
        p.private === m.private &&
        m.sender_type !== 'system' &&
        dayjs(m.created_at).valueOf() - dayjs(p.created_at).valueOf() < GROUP_MS;
      out.push({ type: 'msg', key: m.client_id && m.pending ? `c-${m.client_id}` : m.id, m, grouped });
      prev = m;
    }
    while (j < evs.length) pushEvent(evs[j++]);
    return out;
  }, [messages, events, showEvents, t]);

  const scrollToBottom = () => {
    const el = boxRef.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setNewBelow(0);
  };

  const scrollToSeq = (seq: number) => {
    const target = boxRef.current?.querySelector(`[data-seq="${seq}"]`);
    if (!target) return false;
    target.scrollIntoView({ block: 'center' });
    setFlash(seq);
    window.setTimeout(() => setFlash((f) => (f === seq ? 0 : f)), 2400);
    return true;
  };

  // First paint of a conversation: jump to the searched message or the end.
  // Later: follow new messages if the agent is at the bottom, else count them.
  useLayoutEffect(() => {
    if (loading || messages.length === 0) return;
    const last = messages[messages.length - 1];
    const key = last.client_id && last.pending ? `c-${last.client_id}` : last.id;
    if (shownFor.current !== conv.id) {
      shownFor.current = conv.id;
      lastKey.current = key;
      if (!(focus && scrollToSeq(focus.seq))) scrollToBottom();
      return;
    }
    if (key === lastKey.current) return;
    lastKey.current = key;
    if (atBottom.current || last.pending) scrollToBottom();
    else setNewBelow((n) => n + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [messages, loading, conv.id]);

  useEffect(() => {
    if (focus && shownFor.current === conv.id) scrollToSeq(focus.seq);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus]);

  useLayoutEffect(() => {
    if ((customerTyping || showEvents) && atBottom.current) scrollToBottom();
  }, [customerTyping, showEvents, events]);

  // Images change the height as they load, and the pane shrinks when the
  // panels below it grow (suggestions, a longer reply): stay at the bottom if we were there.
  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const onLoad = () => {
      if (atBottom.current) el.scrollTop = el.scrollHeight;
    };
    el.addEventListener('load', onLoad, true);
    const ro = new ResizeObserver(onLoad);
    ro.observe(el);
    return () => {
      el.removeEventListener('load', onLoad, true);
      ro.disconnect();
    };
  }, []);

  const customer = contactName(t, conv);

  const renderMessage = (m: LocalMessage, grouped: boolean) => {
    if (m.sender_type === 'system') {
      return (
        <div className="kf-sys" data-testid="message" data-seq={m.seq || undefined} data-sender={m.sender_type}>
          <span>{m.text}</span>
          <span className="kf-sys-time">{dayjs(m.created_at).format('HH:mm')}</span>
        </div>
      );
    }
    const left = m.sender_type === 'customer';
    const who = left ? customer : m.sender_name || (m.sender_type === 'bot' ? t('inbox.sender.bot') : t('inbox.sender.agent'));
    const avatar =
      m.sender_type === 'bot' ? (
        <Avatar size={32} icon={<RobotOutlined />} style={{ background: '#7c5cff' }} />
      ) : (
        <Avatar size={32} style={{ background: left ? '#94a3b8' : m.private ? '#f59e0b' : '#1677ff', fontSize: 14 }}>
          {who.slice(0, 1)}
        </Avatar>
      );
    const cls = ['kf-msg', left ? 'left' : 'right', m.sender_type, m.private ? 'note' : '', grouped ? 'grouped' : '', m.seq && m.seq === flash ? 'flash' : '']
      .filter(Boolean)
      .join(' ');
    const read = !left && !m.private && !m.pending && m.sender_type === 'agent' && m.seq > 0 && conv.customer_read_seq >= m.seq;
    return (
      <div className={cls} data-testid="message" data-seq={m.seq || undefined} data-sender={m.sender_type} data-private={m.private || undefined}>
        <div className="kf-msg-avatar">{!grouped && avatar}</div>
        <div className="kf-msg-body">
          {!grouped && (
            <div className="kf-msg-meta">
              <span className="kf-msg-name">{who}</span>
              {m.sender_type === 'bot' && (
                <span className="kf-bot-badge" data-testid="bot-badge">
                  <RobotOutlined /> {t('inbox.sender.bot')}
                </span>
              )}
              <Tooltip title={fmtTime(m.created_at)}>
                <span className="kf-msg-time">{dayjs(m.created_at).format('HH:mm')}</span>
              </Tooltip>
            </div>
          )}
          <div className="kf-bubble">
            {m.private && (
              <div className="kf-note-label">
                <LockOutlined /> {t('inbox.noteLabel')}
              </div>
            )}
            {m.text && <div className="kf-bubble-text">{m.private ? withMentions(m.text) : m.text}</div>}
            {!!m.attachments?.length && <Attachments items={m.attachments} />}
          </div>
          <div className="kf-msg-foot">
            {grouped && (
              <Tooltip title={fmtTime(m.created_at)}>
                <span className="kf-msg-time">{dayjs(m.created_at).format('HH:mm')}</span>
              </Tooltip>
            )}
            {m.pending === 'sending' && (
              <span className="kf-msg-state">
                <Spin size="small" /> {t('inbox.sending')}
              </span>
            )}
            {m.pending === 'failed' && (
              <span className="kf-msg-state failed">
                <ExclamationCircleFilled /> {t('inbox.sendFailed')}
                <Button type="link" size="small" onClick={() => onRetry(m.client_id!)} data-testid="message-retry">
                  {t('common.retry')}
                </Button>
              </span>
            )}
            {!left && !m.private && !m.pending && m.sender_type === 'agent' && m.seq > 0 && (
              <span className={`kf-receipt${read ? ' read' : ''}`} data-testid={read ? 'read-receipt' : undefined}>
                {read ? (
                  <>
                    <CheckOutlined /> {t('inbox.read')}
                  </>
                ) : (
                  t('inbox.unread')
                )}
              </span>
            )}
          </div>
        </div>
      </div>
    );
  };

  return (
    <div className="kf-msgs-wrap">
      <div
        className="kf-msgs"
        ref={boxRef}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
          if (atBottom.current && newBelow) setNewBelow(0);
        }}
      >
        {loading && messages.length === 0 ? (
          <div className="kf-msgs-loading">
            <Spin />
          </div>
        ) : (
          rows.map((r) => (
            <Fragment key={r.key}>
              {r.type === 'day' ? (
                <div className="kf-day">
                  <span>{r.label}</span>
                </div>
              ) : r.type === 'event' ? (
                <div className={`kf-event ${r.e.type}`} data-testid="timeline-event" data-type={r.e.type}>
                  {eventIcon(r.e.type)}
                  <span>{eventText(t, r.e, agentName, teamName)}</span>
                  <span className="kf-event-time">{dayjs(r.e.created_at).format('HH:mm')}</span>
                  {r.e.type === 'transferred' && str(r.e.data, 'note') && <div className="kf-event-note">{str(r.e.data, 'note')}</div>}
                  {r.e.type === 'survey_answered' && <SurveyAnswer data={r.e.data} />}
                  {r.e.type === 'return' && str(r.e.data, 'return_id') && (
                    <Link to={`/returns/${encodeURIComponent(str(r.e.data, 'return_id'))}`} className="kf-event-link">
                      {t('inbox.ev.openReturn')}
                    </Link>
                  )}
                </div>
              ) : (
                renderMessage(r.m, r.grouped)
              )}
            </Fragment>
          ))
        )}
        {customerTyping && (
          <div className="kf-typing" data-testid="typing-indicator">
            <span className="kf-typing-dots">
              <i />
              <i />
              <i />
            </span>
            {t('inbox.customerTyping', { name: customer })}
          </div>
        )}
      </div>
      {agentTyping && <div className="kf-agent-typing">{t('inbox.agentTyping', { name: agentName(agentTyping) || agentTyping })}</div>}
      {newBelow > 0 && (
        <Button className="kf-new-below" size="small" type="primary" shape="round" icon={<ArrowDownOutlined />} onClick={scrollToBottom}>
          {t('inbox.newMessages', { n: newBelow })}
        </Button>
      )}
    </div>
  );
}
