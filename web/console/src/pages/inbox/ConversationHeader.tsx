import { useState } from 'react';
import { Avatar, Button, DatePicker, Dropdown, Modal, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  AimOutlined,
  AlertOutlined,
  CheckOutlined,
  ClockCircleOutlined,
  DownOutlined,
  EllipsisOutlined,
  FlagOutlined,
  TagsOutlined,
  TeamOutlined,
  UserOutlined,
  IdcardOutlined,
  SwapOutlined,
  UndoOutlined,
  UserAddOutlined,
  RobotOutlined,
} from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Conversation, Priority } from '../../api/types';
import { fmtTime } from '../../lib/format';
import { BotTag, channelLabel, contactName, PRIORITIES, priorityLabel, STATUS_COLOR, statusLabel } from '../../lib/conversations';
import IntentTag from '../../components/IntentTag';
import { INTENT_COLORS, intentOptions } from '../../lib/labels';
import { SLACountdown } from '../../lib/sla';
import { COMPLAINT_CATEGORIES, COMPLAINT_SEVERITIES, complaintCategoryLabel, complaintSeverityLabel, SEVERITY_COLOR } from '../../lib/complaints';

export interface HeaderActions {
  assignMe: () => void;
  unassign: () => void;
  transfer: () => void;
  setStatus: (status: Conversation['status'], snoozedUntil?: string) => void;
  setPriority: (p: Priority) => void;
  setLabels: (labels: string[]) => void;
  /** Corrects the conversation's intent ("" for none). */
  setIntent: (intent: string) => void;
  /** Classifies the conversation as a complaint ("" clears a field). */
  setComplaint: (p: { complaint_category?: string; complaint_severity?: string }) => void;
}

interface Props {
  conv: Conversation;
  meId: string;
  canAssign: boolean;
  /** Agents who may reply may also correct the intent. */
  canReply: boolean;
  busy: string | null;
  labelOptions: string[];
  showEvents: boolean;
  onShowEvents: (on: boolean) => void;
  onShowCustomer?: () => void;
  onHelp: () => void;
  actions: HeaderActions;
}

/** When "snooze" options wake the conversation up. */
export function snoozeTimes(now = dayjs()): Record<'hour' | 'tomorrow' | 'nextWeek', Dayjs> {
  const nine = (d: Dayjs) => d.hour(9).minute(0).second(0).millisecond(0);
  const daysToMonday = ((8 - now.day()) % 7) || 7;
  return { hour: now.add(1, 'hour'), tomorrow: nine(now.add(1, 'day')), nextWeek: nine(now.add(daysToMonday, 'day')) };
}

export default function ConversationHeader({
  conv,
  meId,
  canAssign,
  canReply,
  busy,
  labelOptions,
  showEvents,
  onShowEvents,
  onShowCustomer,
  onHelp,
  actions,
}: Props) {
  const { t } = useTranslation();
  const [customOpen, setCustomOpen] = useState(false);
  const [custom, setCustom] = useState<Dayjs | null>(null);
  const mine = conv.assignee_id === meId;
  const resolved = conv.status === 'resolved';
  const name = contactName(t, conv);

  const snooze = (d: Dayjs) => actions.setStatus('snoozed', d.toISOString());
  const times = snoozeTimes();
  const snoozeMenu: MenuProps = {
    items: [
      { key: 'hour', label: t('inbox.snooze.hour'), extra: times.hour.format('HH:mm') },
      { key: 'tomorrow', label: t('inbox.snooze.tomorrow'), extra: times.tomorrow.format('MM-DD HH:mm') },
      { key: 'nextWeek', label: t('inbox.snooze.nextWeek'), extra: times.nextWeek.format('MM-DD HH:mm') },
      { type: 'divider' },
      { key: 'custom', label: t('inbox.snooze.custom') },
    ],
    onClick: ({ key }) => {
      if (key === 'custom') {
        setCustom(dayjs().add(2, 'hour').minute(0).second(0));
        setCustomOpen(true);
      } else snooze(snoozeTimes()[key as keyof ReturnType<typeof snoozeTimes>]);
    },
  };

  const moreMenu: MenuProps = {
    items: [
      conv.status !== 'pending' && { key: 'pending', label: t('inbox.markPending') },
      conv.status !== 'open' && !resolved && { key: 'open', label: t('inbox.markOpen') },
      canAssign && conv.assignee_id && { key: 'unassign', label: t('inbox.unassign') },
      { type: 'divider' as const },
      { key: 'help', label: t('inbox.shortcuts.title') },
    ].filter(Boolean) as MenuProps['items'],
    onClick: ({ key }) => {
      if (key === 'pending') actions.setStatus('pending');
      if (key === 'open') actions.setStatus('open');
      if (key === 'unassign') actions.unassign();
      if (key === 'help') onHelp();
    },
  };

  return (
    <div className="kf-conv-head" data-testid="conversation-header">
      <div className="kf-conv-head-row">
        <Avatar size={36} style={{ background: '#94a3b8', flex: '0 0 36px' }}>
          {name.slice(0, 1)}
        </Avatar>
        <div className="kf-conv-head-title">
          <div className="kf-conv-head-name">
            <Typography.Text strong ellipsis style={{ fontSize: 16 }} data-testid="conversation-contact">
              {name}
            </Typography.Text>
          </div>
          <div className="kf-conv-head-sub">
            <Tag color={STATUS_COLOR[conv.status]} data-testid="conversation-status" className="kf-status-tag">
              {statusLabel(t, conv.status)}
            </Tag>
            {conv.status === 'snoozed' && conv.snoozed_until ? `${t('inbox.snoozedUntil', { time: fmtTime(conv.snoozed_until) })} · ` : ''}
            {conv.subject ? `${conv.subject} · ` : ''}
            {channelLabel(t, conv.channel)}
            {conv.inbox_name ? ` · ${conv.inbox_name}` : ''}
          </div>
        </div>
        <div className="kf-conv-head-actions">
          {!mine && (
            <Tooltip title={t('inbox.shortcuts.keyHint', { key: 'A' })}>
              <Button icon={<UserAddOutlined />} onClick={actions.assignMe} loading={busy === 'assign'} data-testid="action-assign-me">
                {t('inbox.assignMe')}
              </Button>
            </Tooltip>
          )}
          {(canAssign || mine) && (
            <Button icon={<SwapOutlined />} onClick={actions.transfer} data-testid="action-transfer">
              {t('inbox.transferAction')}
            </Button>
          )}
          {!resolved && (
            <Dropdown menu={snoozeMenu} trigger={['click']}>
              <Tooltip title={t('inbox.snooze.button')}>
                <Button icon={<ClockCircleOutlined />} loading={busy === 'snoozed'} data-testid="action-snooze" aria-label={t('inbox.snooze.button')}>
                  <DownOutlined style={{ fontSize: 10 }} />
                </Button>
              </Tooltip>
            </Dropdown>
          )}
          {resolved ? (
            <Button icon={<UndoOutlined />} onClick={() => actions.setStatus('open')} loading={busy === 'open'} data-testid="action-reopen">
              {t('inbox.reopen')}
            </Button>
          ) : (
            <Tooltip title={t('inbox.shortcuts.keyHint', { key: 'Ctrl + Enter' })}>
              <Button
                type="primary"
                icon={<CheckOutlined />}
                onClick={() => actions.setStatus('resolved')}
                loading={busy === 'resolved'}
                data-testid="action-resolve"
                className="kf-resolve-btn"
              >
                {t('inbox.resolve')}
              </Button>
            </Tooltip>
          )}
          <Dropdown menu={moreMenu} trigger={['click']} placement="bottomRight">
            <Button icon={<EllipsisOutlined />} aria-label={t('inbox.more')} />
          </Dropdown>
          {onShowCustomer && (
            <Tooltip title={t('inbox.customer.title')}>
              <Button icon={<IdcardOutlined />} onClick={onShowCustomer} aria-label={t('inbox.customer.title')} />
            </Tooltip>
          )}
        </div>
      </div>
      <div className="kf-conv-head-meta">
        {conv.bot && (
          <span className="kf-meta-item">
            <BotTag className="kf-intent-src" />
          </span>
        )}
        <span className="kf-meta-item">
          <Tooltip title={t('inbox.assignee')}>
            <UserOutlined className="kf-meta-icon" />
          </Tooltip>
          {conv.assignee_id ? (
            <Space size={4}>
              <span data-testid="conversation-assignee">{conv.assignee_name || conv.assignee_id}</span>
              {mine && <Typography.Text type="secondary">({t('users.you')})</Typography.Text>}
            </Space>
          ) : (
            <Typography.Text type="secondary" data-testid="conversation-assignee">
              {t('inbox.unassigned')}
            </Typography.Text>
          )}
        </span>
        <span className="kf-meta-item">
          <Tooltip title={t('inbox.team')}>
            <TeamOutlined className="kf-meta-icon" />
          </Tooltip>
          {conv.team_name || <Typography.Text type="secondary">—</Typography.Text>}
        </span>
        <span className="kf-meta-item">
          <Tooltip title={t('inbox.priority')}>
            <FlagOutlined className="kf-meta-icon" />
          </Tooltip>
          <Select<Priority>
            size="small"
            variant="borderless"
            value={conv.priority || 'normal'}
            onChange={actions.setPriority}
            popupMatchSelectWidth={false}
            style={{ minWidth: 72 }}
            data-testid="priority-select"
            options={PRIORITIES.map((p) => ({
              value: p,
              label: <span className={`kf-prio kf-prio-${p}`}>{priorityLabel(t, p)}</span>,
            }))}
          />
        </span>
        {conv.intent !== undefined && (
          <span className="kf-meta-item" data-testid="conversation-intent" data-intent={conv.intent || undefined}>
            <Tooltip title={t('inbox.intent.label')}>
              <AimOutlined className="kf-meta-icon" />
            </Tooltip>
            {canReply ? (
              <Select<string>
                size="small"
                variant="borderless"
                showSearch={{ optionFilterProp: 'text' }}
                value={conv.intent || undefined}
                placeholder={<span className="kf-intent-none">{t('inbox.intent.none')}</span>}
                onChange={(v) => actions.setIntent(v ?? '')}
                loading={busy === 'intent'}
                popupMatchSelectWidth={false}
                style={{ minWidth: 96 }}
                data-testid="intent-select"
                options={intentOptions(t).map((o) => ({
                  value: o.value,
                  text: o.label,
                  label: (
                    <Tag color={INTENT_COLORS[o.value]} bordered={false} style={{ marginInlineEnd: 0 }}>
                      {o.label}
                    </Tag>
                  ),
                }))}
              />
            ) : conv.intent ? (
              <IntentTag intent={conv.intent} />
            ) : (
              <Typography.Text type="secondary">{t('inbox.intent.none')}</Typography.Text>
            )}
            {conv.intent_source === 'agent' && (
              <Tag bordered={false} color="success" className="kf-intent-src" data-testid="intent-corrected">
                {t('inbox.intent.corrected')}
              </Tag>
            )}
            {conv.intent_source === 'bot' && conv.intent && (
              <Tooltip title={t('inbox.intent.byBot')}>
                <RobotOutlined className="kf-intent-bot" />
              </Tooltip>
            )}
          </span>
        )}
        {conv.complaint_category !== undefined && (canReply || conv.complaint_category) && (
          <span className="kf-meta-item" data-testid="conversation-complaint" data-category={conv.complaint_category || undefined}>
            <Tooltip title={t('complaint.label')}>
              <AlertOutlined className="kf-meta-icon" />
            </Tooltip>
            {canReply ? (
              <>
                <Select<string>
                  size="small"
                  variant="borderless"
                  value={conv.complaint_category ?? ''}
                  onChange={(v) => actions.setComplaint(v ? { complaint_category: v } : { complaint_category: '', complaint_severity: '' })}
                  loading={busy === 'complaint'}
                  popupMatchSelectWidth={false}
                  style={{ minWidth: 88 }}
                  data-testid="complaint-category-select"
                  options={[
                    { value: '', label: <span className="kf-intent-none">{t('complaint.none')}</span> },
                    ...COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: complaintCategoryLabel(t, c) })),
                  ]}
                />
                {conv.complaint_category && (
                  <Select<string>
                    size="small"
                    variant="borderless"
                    value={conv.complaint_severity ?? ''}
                    onChange={(v) => actions.setComplaint({ complaint_severity: v })}
                    popupMatchSelectWidth={false}
                    style={{ minWidth: 64 }}
                    aria-label={t('complaint.severityLabel')}
                    data-testid="complaint-severity-select"
                    options={[
                      { value: '', label: <span className="kf-intent-none">{t('complaint.noSeverity')}</span> },
                      ...COMPLAINT_SEVERITIES.map((v) => ({
                        value: v,
                        label: (
                          <Tag color={SEVERITY_COLOR[v]} bordered={false} style={{ marginInlineEnd: 0 }}>
                            {complaintSeverityLabel(t, v)}
                          </Tag>
                        ),
                      })),
                    ]}
                  />
                )}
              </>
            ) : (
              <Space size={4}>
                <span>{complaintCategoryLabel(t, conv.complaint_category ?? '')}</span>
                {conv.complaint_severity && (
                  <Tag color={SEVERITY_COLOR[conv.complaint_severity] ?? 'default'} bordered={false}>
                    {complaintSeverityLabel(t, conv.complaint_severity)}
                  </Tag>
                )}
              </Space>
            )}
          </span>
        )}
        {(conv.first_response_due || conv.next_response_due || conv.resolution_due) && !resolved && (
          <span className="kf-meta-item" data-testid="conversation-sla">
            <SLACountdown conv={conv} all />
          </span>
        )}
        <span className="kf-meta-item kf-meta-labels">
          <Tooltip title={t('inbox.labels')}>
            <TagsOutlined className="kf-meta-icon" />
          </Tooltip>
          <Select
            mode="tags"
            size="small"
            variant="borderless"
            value={conv.labels ?? []}
            onChange={(v: string[]) => actions.setLabels(v.map((s) => s.trim()).filter(Boolean))}
            placeholder={t('inbox.addLabel')}
            options={labelOptions.map((l) => ({ value: l, label: l }))}
            maxTagCount={4}
            tokenSeparators={[',', '\uff0c']}
            style={{ flex: 1, minWidth: 0 }}
            data-testid="labels-editor"
          />
        </span>
        <span className="kf-meta-item kf-meta-right">
          <Switch size="small" checked={showEvents} onChange={onShowEvents} data-testid="timeline-toggle" />
          <span className="kf-meta-label" style={{ marginInlineEnd: 0 }}>
            {t('inbox.showTimeline')}
          </span>
        </span>
      </div>
      <Modal
        title={t('inbox.snooze.customTitle')}
        open={customOpen}
        onCancel={() => setCustomOpen(false)}
        okButtonProps={{ disabled: !custom || custom.isBefore(dayjs()) }}
        onOk={() => {
          if (custom) snooze(custom);
          setCustomOpen(false);
        }}
        width={400}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('inbox.snooze.customHelp')}
        </Typography.Paragraph>
        <DatePicker
          showTime={{ format: 'HH:mm', minuteStep: 5 }}
          format="YYYY-MM-DD HH:mm"
          value={custom}
          onChange={setCustom}
          disabledDate={(d) => d.isBefore(dayjs(), 'day')}
          style={{ width: '100%' }}
          needConfirm={false}
        />
      </Modal>
    </div>
  );
}
