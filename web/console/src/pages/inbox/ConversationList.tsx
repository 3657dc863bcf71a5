import { useEffect, useRef } from 'react';
import { Avatar, Badge, Empty, Select, Spin, Tabs, Tag, Tooltip } from 'antd';
import { ClockCircleOutlined, LockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Conversation, ConversationStatus, ConversationView } from '../../api/types';
import LoadMoreFooter from '../../components/LoadMoreFooter';
import { fmtTime } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { SLACountdown } from '../../lib/sla';
import { BotTag, CHANNELS, channelLabel, contactName, listTime, messagePreview, PRIORITY_COLOR, priorityLabel, STATUSES, statusLabel, waitLevel, waitText } from '../../lib/conversations';

export interface ListFilters {
  status: ConversationStatus;
  channel?: string;
  label?: string;
}

interface Props {
  views: ConversationView[];
  view: ConversationView;
  onView: (v: ConversationView) => void;
  counts: Partial<Record<ConversationView, number>>;
  filters: ListFilters;
  onFilters: (f: ListFilters) => void;
  labelOptions: string[];
  list: {
    items: Conversation[];
    loading: boolean;
    cursor?: string;
    loadingMore: boolean;
    loadMore: () => Promise<void>;
  };
  openId?: string;
  meId: string;
  onOpen: (id: string) => void;
}

export default function ConversationList({ views, view, onView, counts, filters, onFilters, labelOptions, list, openId, meId, onOpen }: Props) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const boxRef = useRef<HTMLDivElement>(null);

  // Keep the open conversation in sight when J/K moves through the list.
  useEffect(() => {
    if (!openId) return;
    boxRef.current?.querySelector(`[data-id="${CSS.escape(openId)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [openId]);

  const emptyText = () => {
    if (filters.status !== 'open' || filters.channel || filters.label) return t('inbox.empty.filtered');
    return t(`inbox.empty.${view}`);
  };

  return (
    <div className="kf-inbox-list" data-testid="conversation-list">
      <Tabs
        size="small"
        activeKey={view}
        onChange={(k) => onView(k as ConversationView)}
        className="kf-list-tabs"
        tabBarGutter={14}
        items={views.map((v) => ({
          key: v,
          label: (
            <span data-testid={`inbox-tab-${v}`}>
              {t(`inbox.views.${v}`)}
              {counts[v] !== undefined && <span className="kf-tab-count">{counts[v]}</span>}
            </span>
          ),
        }))}
      />
      <div className="kf-list-filters">
        <Select<ConversationStatus>
          size="small"
          value={filters.status}
          onChange={(status) => onFilters({ ...filters, status })}
          options={STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) }))}
          style={{ width: 92 }}
          data-testid="filter-status"
          popupMatchSelectWidth={false}
        />
        <Select
          size="small"
          allowClear
          value={filters.channel}
          onChange={(channel) => onFilters({ ...filters, channel })}
          placeholder={t('inbox.filterChannel')}
          options={CHANNELS.map((c) => ({ value: c, label: channelLabel(t, c) }))}
          style={{ width: 100 }}
          data-testid="filter-channel"
          popupMatchSelectWidth={false}
        />
        <Select
          size="small"
          allowClear
          showSearch
          value={filters.label}
          onChange={(label) => onFilters({ ...filters, label })}
          placeholder={t('inbox.filterLabel')}
          options={labelOptions.map((l) => ({ value: l, label: l }))}
          style={{ flex: 1, minWidth: 0 }}
          notFoundContent={t('inbox.noLabels')}
          data-testid="filter-label"
          popupMatchSelectWidth={false}
        />
      </div>
      <div className="kf-list-body" ref={boxRef}>
        {list.loading && list.items.length === 0 ? (
          <div className="kf-list-loading">
            <Spin />
          </div>
        ) : list.items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText()} style={{ marginTop: 64 }} />
        ) : (
          list.items.map((c) => {
            const name = contactName(t, c);
            const m = c.last_message;
            const level = waitLevel(c.waiting_since, now);
            const prio = c.priority === 'high' || c.priority === 'urgent';
            return (
              <div
                key={c.id}
                className={`kf-conv-row${c.id === openId ? ' active' : ''}${c.unread > 0 ? ' unread' : ''}`}
                data-testid="conversation-row"
                data-id={c.id}
                onClick={() => onOpen(c.id)}
                role="button"
              >
                <Badge dot={c.unread > 0} offset={[-3, 3]}>
                  <Avatar size={36} style={{ background: c.unread > 0 ? '#1677ff' : '#94a3b8', fontSize: 15 }}>
                    {name.slice(0, 1)}
                  </Avatar>
                </Badge>
                <div className="kf-conv-main">
                  <div className="kf-conv-line">
                    <span className="kf-conv-name">{name}</span>
                    {prio && (
                      <Tag color={PRIORITY_COLOR[c.priority]} className="kf-conv-prio" data-testid="priority-tag">
                        {priorityLabel(t, c.priority)}
                      </Tag>
                    )}
                    <SLACountdown conv={c} className="kf-conv-prio" />
                    <Tooltip title={fmtTime(c.last_message_at)}>
                      <span className="kf-conv-time">{listTime(t, c.last_message_at)}</span>
                    </Tooltip>
                  </div>
                  <div className="kf-conv-line">
                    <span className="kf-conv-preview">
                      {m?.private && (
                        <span className="kf-note-mark">
                          <LockOutlined /> {t('inbox.notePreview')}
                        </span>
                      )}
                      {m && m.sender_type !== 'customer' && !m.private && <span className="kf-preview-who">{t('inbox.previewBy', { name: m.sender_name || t('inbox.sender.agent') })}</span>}
                      {messagePreview(t, m) || c.subject || channelLabel(t, c.channel)}
                    </span>
                    {c.unread > 0 && <Badge count={c.unread} size="small" overflowCount={99} className="kf-conv-unread" />}
                  </div>
                  <div className="kf-conv-line kf-conv-line3">
                    {c.waiting_since && c.status !== 'resolved' ? (
                      <span className={`kf-wait ${level}`} data-testid="wait-time">
                        <ClockCircleOutlined /> {waitText(t, c.waiting_since, now)}
                      </span>
                    ) : (
                      <span className="kf-conv-channel">{channelLabel(t, c.channel)}</span>
                    )}
                    {c.bot && !c.assignee_id ? (
                      <BotTag className="kf-conv-prio" />
                    ) : (
                      <span className={`kf-conv-assignee${c.assignee_id === meId ? ' me' : ''}`}>
                        {c.bot && <BotTag className="kf-conv-prio" />}
                        {c.assignee_id ? (
                          <>
                            <Avatar size={16} style={{ background: '#1677ff', fontSize: 9 }}>
                              {(c.assignee_name || '?').slice(0, 1)}
                            </Avatar>
                            {c.assignee_name}
                          </>
                        ) : (
                          t('inbox.unassigned')
                        )}
                      </span>
                    )}
                  </div>
                </div>
              </div>
            );
          })
        )}
        <LoadMoreFooter list={list} testId="conversations-load-more" />
      </div>
    </div>
  );
}
