import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Dropdown, Empty, Spin, Tooltip, Typography } from 'antd';
import { BellOutlined, CarryOutOutlined, CheckOutlined, ClockCircleOutlined, FrownOutlined, SafetyCertificateOutlined, NotificationOutlined, RollbackOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api } from '../api/client';
import type { ListResponse, Notice } from '../api/types';
import { useApiError } from '../lib/errors';
import { fmtTime, fromNow } from '../lib/format';
import { anomalyReasons, handoffReasonLabel, reasonsText } from '../lib/labels';
import { targetLabel } from '../lib/sla';
import { deadlineLabel } from '../lib/returns';
import { taskStatusLabel } from '../lib/tasks';

const POLL_MS = 60_000;

/** The icon and its colour per notice kind. */
function noticeIcon(kind: string) {
  switch (kind) {
    case 'login_anomalous':
      return { icon: <SafetyCertificateOutlined />, color: '#fa8c16' };
    case 'sla_warning':
      return { icon: <ClockCircleOutlined />, color: '#fa8c16' };
    case 'sla_breach':
      return { icon: <ClockCircleOutlined />, color: '#f5222d' };
    case 'angry_customer':
      return { icon: <FrownOutlined />, color: '#f5222d' };
    case 'task':
      return { icon: <CarryOutOutlined />, color: '#722ed1' };
    case 'return_warning':
      return { icon: <RollbackOutlined />, color: '#fa8c16' };
    case 'return_due':
    case 'return_penalty_risk':
      return { icon: <RollbackOutlined />, color: '#f5222d' };
  }
  return { icon: <NotificationOutlined />, color: '#1677ff' };
}

/** The return a notice is about, if any. */
function noticeReturn(n: Notice): string {
  const id = n.data?.return_id;
  return n.kind.startsWith('return_') && typeof id === 'string' ? id : '';
}

/** The conversation a notice is about, if any. */
function noticeConversation(n: Notice): string {
  const id = n.data?.conversation_id;
  return typeof id === 'string' ? id : '';
}

export function noticeText(t: TFunction, n: Notice): string {
  if (n.kind === 'login_anomalous') {
    const d = n.data ?? {};
    const reasons = anomalyReasons(d.reasons as string[] | string | undefined);
    return t('notices.loginAnomalous', {
      reason: reasonsText(t, reasons),
      user: (d.user_name as string) || (d.user_id as string) || t('common.unknownUser'),
      ip: (d.ip as string) || '—',
    });
  }
  const d = n.data ?? {};
  const actor = (d.actor_name as string) || (d.by as string) || t('common.unknownUser');
  if (n.kind === 'mention') {
    return t('notices.mention', { actor, text: (d.text as string) || '' });
  }
  if (n.kind === 'assigned' || n.kind === 'conversation_assigned' || n.kind === 'transferred') {
    return t('notices.assigned', { actor, note: (d.note as string) || '—' });
  }
  if (n.kind === 'sla_warning' || n.kind === 'sla_breach') {
    const targets = (Array.isArray(d.targets) ? (d.targets as string[]) : typeof d.target === 'string' ? [d.target] : []).map((x) => targetLabel(t, x));
    return t(n.kind === 'sla_warning' ? 'notices.slaWarning' : 'notices.slaBreach', { targets: targets.join(t('common.listSep')) || '—' });
  }
  if (n.kind === 'angry_customer') {
    const reason = d.reason as string | undefined;
    return t('notices.angryCustomer', { reason: reason ? handoffReasonLabel(t, reason) : '—' });
  }
  if (n.kind === 'task') {
    const status = (d.status as string) || 'open';
    const title = (d.title as string) || '—';
    return status === 'open' ? t('notices.taskAssigned', { actor, title }) : t('notices.taskUpdated', { actor, title, status: taskStatusLabel(t, status) });
  }
  if (n.kind === 'return_warning' || n.kind === 'return_due' || n.kind === 'return_penalty_risk') {
    const due = d.due as string | undefined;
    return t(`notices.${n.kind}`, {
      no: (d.shop_order_id as string) || '—',
      step: deadlineLabel(t, (d.deadline as string) || ''),
      due: due ? fmtTime(due) : '—',
    });
  }
  return t('notices.unknown', { kind: n.kind });
}

export default function NoticesBell() {
  const { t } = useTranslation();
  const showError = useApiError();
  const [items, setItems] = useState<Notice[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();

  const load = useCallback(
    async (quiet: boolean) => {
      if (!quiet) setLoading(true);
      try {
        const res = await api.get<ListResponse<Notice>>('/me/notices');
        setItems(res.items ?? []);
      } catch (err) {
        if (!quiet) showError(err);
      } finally {
        if (!quiet) setLoading(false);
      }
    },
    [showError],
  );

  useEffect(() => {
    void load(true);
    const id = window.setInterval(() => void load(true), POLL_MS);
    // The inbox's live socket announces new notices (mentions, assignments).
    const onNotice = () => void load(true);
    window.addEventListener('kefu:notices', onNotice);
    return () => {
      window.clearInterval(id);
      window.removeEventListener('kefu:notices', onNotice);
    };
  }, [load]);

  const unread = items.filter((n) => !n.read_at);

  const markRead = async (ids: string[]) => {
    try {
      await Promise.all(ids.map((id) => api.post(`/me/notices/${encodeURIComponent(id)}/read`)));
      const now = new Date().toISOString();
      setItems((prev) => prev.map((n) => (ids.includes(n.id) ? { ...n, read_at: n.read_at ?? now } : n)));
    } catch (err) {
      showError(err);
    }
  };

  const panel = (
    <div className="kf-notice-panel" data-testid="notices-panel">
      <div className="kf-notice-head">
        <span>{t('notices.title')}</span>
        {unread.length > 0 && (
          <Button type="link" size="small" onClick={() => void markRead(unread.map((n) => n.id))}>
            {t('notices.markAllRead')}
          </Button>
        )}
      </div>
      <div className="kf-notice-list">
        {loading && items.length === 0 ? (
          <div style={{ padding: 32, textAlign: 'center' }}>
            <Spin />
          </div>
        ) : items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notices.empty')} style={{ padding: '24px 0' }} />
        ) : (
          items.map((n) => {
            const icon = noticeIcon(n.kind);
            const conv = noticeConversation(n);
            const ret = noticeReturn(n);
            const go = (to: string) => {
              setOpen(false);
              if (!n.read_at) void markRead([n.id]);
              void navigate(to);
            };
            return (
            <div key={n.id} className={`kf-notice-item${n.read_at ? '' : ' unread'}`} data-testid="notice-item" data-kind={n.kind}>
              <div style={{ fontSize: 18, color: icon.color, paddingTop: 2 }}>{icon.icon}</div>
              <div style={{ flex: 1, minWidth: 0 }}>
                <div style={{ lineHeight: 1.5, color: n.read_at ? 'rgba(0,0,0,0.55)' : 'rgba(0,0,0,0.88)' }}>
                  {noticeText(t, n)}
                </div>
                {ret && (
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0, height: 'auto', marginInlineEnd: 8 }}
                    onClick={() => go(`/returns/${encodeURIComponent(ret)}`)}
                    data-testid="notice-open-return"
                  >
                    {t('notices.openReturn')}
                  </Button>
                )}
                {conv && (
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0, height: 'auto', marginInlineEnd: 8 }}
                    onClick={() => go(`/inbox/${encodeURIComponent(conv)}`)}
                    data-testid="notice-open-conversation"
                  >
                    {t('notices.openConversation')}
                  </Button>
                )}
                <Tooltip title={fmtTime(n.created_at)}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fromNow(n.created_at)}
                  </Typography.Text>
                </Tooltip>
              </div>
              {!n.read_at && (
                <Tooltip title={t('notices.markRead')}>
                  <Button size="small" type="text" icon={<CheckOutlined />} onClick={() => void markRead([n.id])} />
                </Tooltip>
              )}
            </div>
            );
          })
        )}
      </div>
    </div>
  );

  return (
    <Dropdown
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) void load(false);
      }}
      trigger={['click']}
      placement="bottomRight"
      popupRender={() => panel}
    >
      <div className="kf-header-item" data-testid="notices-bell" aria-label={t('notices.title')} role="button">
        <Badge count={unread.length} size="small" offset={[2, -2]}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </div>
    </Dropdown>
  );
}
