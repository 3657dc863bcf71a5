import { useMemo } from 'react';
import { Avatar, Empty, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { ArrowRightOutlined, LockOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../api/types';
import { fmtTime } from '../../lib/format';
import { useApiList } from '../../lib/useApiList';
import { channelLabel, contactName, listTime, messagePreview, STATUS_COLOR, statusLabel } from '../../lib/conversations';
import type { LocalMessage } from './useConversation';
import OrdersPanel from './OrdersPanel';
import TasksPanel from './TasksPanel';
import { Field, Section } from './SidePanelParts';

interface Props {
  conv: Conversation;
  messages: LocalMessage[];
  canViewContact: boolean;
  onOpen: (id: string) => void;
  onJump: (seq: number) => void;
  onError: (err: unknown) => void;
  /** Sees the customer's orders and returns (orders.view). */
  canViewOrders: boolean;
  /** Changes when the conversation's timeline records a return or an attached order. */
  ordersTick: number;
  /** Changes when the conversation's timeline records a task created or updated. */
  tasksTick: number;
  canReply: boolean;
  /** Puts text into the reply composer. */
  onInsert: (text: string) => void;
}

/** The right pane: who the customer is (masked), their other conversations, this one's details and its internal notes. */
export default function CustomerPanel({ conv, messages, canViewContact, onOpen, onJump, onError, canViewOrders, ordersTick, tasksTick, canReply, onInsert }: Props) {
  const { t } = useTranslation();
  const contact = conv.contact;
  const name = contactName(t, conv);
  const history = useApiList<Conversation>(`/contacts/${encodeURIComponent(conv.contact_id)}/conversations`, onError, !!conv.contact_id);
  const others = useMemo(
    () => [...history.items].sort((a, b) => (b.last_message_at || b.created_at).localeCompare(a.last_message_at || a.created_at)),
    [history.items],
  );
  const notes = useMemo(() => messages.filter((m) => m.private && !m.pending).reverse(), [messages]);

  return (
    <div className="kf-side" data-testid="customer-panel">
      <div className="kf-side-profile">
        <Avatar size={44} style={{ background: '#94a3b8', fontSize: 18, flex: '0 0 44px' }}>
          {name.slice(0, 1)}
        </Avatar>
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong style={{ fontSize: 15 }} ellipsis>
            {name}
          </Typography.Text>
          <div className="kf-side-tags">
            {(contact?.tags ?? []).map((tg) => (
              <Tag key={tg} color="blue" bordered={false}>
                {tg}
              </Tag>
            ))}
          </div>
        </div>
      </div>
      <div className="kf-side-fields">
        <Field label={t('contacts.phone')} mono>
          {contact?.phone}
        </Field>
        <Field label={t('contacts.email')}>{contact?.email}</Field>
        <Field label={t('contacts.shopUserId')} mono>
          {contact?.shop_user_id}
        </Field>
        <div className="kf-side-masked">
          <LockOutlined /> {t('inbox.customer.masked')}
        </div>
        {canViewContact && (
          <Link to={`/contacts/${encodeURIComponent(conv.contact_id)}`} className="kf-side-link" data-testid="customer-contact-link">
            {t('inbox.customer.openContact')} <ArrowRightOutlined />
          </Link>
        )}
      </div>

      <Section title={t('inbox.customer.details')}>
        <Field label={t('inbox.customer.channel')}>
          {channelLabel(t, conv.channel)}
          {conv.inbox_name ? ` · ${conv.inbox_name}` : ''}
        </Field>
        <Field label={t('inbox.customer.createdAt')}>{fmtTime(conv.created_at)}</Field>
        <Field label={t('inbox.customer.firstReply')}>{conv.first_reply_at ? fmtTime(conv.first_reply_at) : ''}</Field>
        <Field label={t('inbox.labels')}>
          {conv.labels?.length ? (
            <span className="kf-side-tags">
              {conv.labels.map((l) => (
                <Tag key={l} bordered={false} color="geekblue">
                  {l}
                </Tag>
              ))}
            </span>
          ) : null}
        </Field>
      </Section>

      <TasksPanel conv={conv} tick={tasksTick} canReply={canReply} />

      {canViewOrders && !!conv.contact_id && <OrdersPanel conv={conv} tick={ordersTick} canReply={canReply} onInsert={onInsert} />}

      <Section title={t('inbox.customer.history', { n: others.length })}>
        {history.loading && others.length === 0 ? (
          <Skeleton active title={false} paragraph={{ rows: 3 }} />
        ) : others.length === 0 ? (
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('inbox.customer.noHistory')}
          </Typography.Text>
        ) : (
          <div className="kf-side-history">
            {others.map((c) => (
              <div
                key={c.id}
                className={`kf-side-conv${c.id === conv.id ? ' current' : ''}`}
                onClick={() => c.id !== conv.id && onOpen(c.id)}
                data-testid="history-row"
                role="button"
              >
                <div className="kf-side-conv-line">
                  <span className="kf-side-conv-channel">
                    {channelLabel(t, c.channel)}
                    {c.inbox_name ? ` · ${c.inbox_name}` : ''}
                  </span>
                  <Tag color={STATUS_COLOR[c.status]} bordered={false} style={{ marginInlineEnd: 0 }}>
                    {statusLabel(t, c.status)}
                  </Tag>
                </div>
                <div className="kf-side-conv-preview">
                  {c.id === conv.id ? t('inbox.customer.current') : messagePreview(t, c.last_message) || c.subject || '—'}
                </div>
                <div className="kf-side-conv-time">
                  <Tooltip title={fmtTime(c.created_at)}>{dayjs(c.created_at).format('YYYY-MM-DD')}</Tooltip>
                  {c.assignee_name ? ` · ${c.assignee_name}` : ''}
                </div>
              </div>
            ))}
          </div>
        )}
      </Section>

      <Section title={t('inbox.customer.notes', { n: notes.length })}>
        {notes.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.customer.noNotes')} style={{ margin: '4px 0' }} />
        ) : (
          notes.map((n) => (
            <div key={n.id} className="kf-side-note" onClick={() => onJump(n.seq)} role="button" data-testid="side-note">
              <div className="kf-side-note-head">
                <span>{n.sender_name}</span>
                <span>{listTime(t, n.created_at)}</span>
              </div>
              <div className="kf-side-note-text">{n.text}</div>
            </div>
          ))
        )}
      </Section>
    </div>
  );
}
