import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Empty, Row, Select, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Conversation, ListResponse, QueueTeam } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import PageHeader from '../components/PageHeader';
import { channelLabel, contactName, PRIORITY_COLOR, priorityLabel, waitLevel, waitText } from '../lib/conversations';
import { useApiError } from '../lib/errors';
import { durationText, useActivityPing } from '../lib/routing';
import { useAgentSocket } from '../lib/useAgentSocket';
import { useApiGet } from '../lib/useApiGet';
import type { Directory } from '../lib/useDirectory';
import { useDirectory } from '../lib/useDirectory';
import { useNow } from '../lib/useNow';

const REFRESH_MS = 10_000;

/** Live view of the routing queues for supervisors: per team what waits, who is free, pause and manual assignment. */
export default function QueuePage() {
  const { t } = useTranslation();
  const { has } = useAuth();
  const showError = useApiError();
  const { data, error, reload } = useApiGet<ListResponse<QueueTeam>>('/routing/queue');
  const dir = useDirectory(showError);
  const [fetchedAt, setFetchedAt] = useState(() => Date.now());
  const now = useNow(1000);
  const canAssign = has('conversations.assign');

  const refresh = useCallback(async () => {
    await reload();
    setFetchedAt(Date.now());
  }, [reload]);

  useEffect(() => {
    const id = window.setInterval(() => void refresh(), REFRESH_MS);
    return () => window.clearInterval(id);
  }, [refresh]);

  // Conversation events arrive in bursts: refresh once after they settle.
  const pending = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(pending.current), []);
  const socket = useAgentSocket(
    (f) => {
      if (f.type !== 'conversation') return;
      window.clearTimeout(pending.current);
      pending.current = window.setTimeout(() => void refresh(), 800);
    },
    () => void refresh(),
  );
  useActivityPing(socket.send);

  const teams = data?.items ?? [];
  const notReady = !data && error;

  return (
    <>
      <PageHeader
        title={t('queue.title')}
        sub={t('queue.sub')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void refresh()}>
            {t('common.refresh')}
          </Button>
        }
      />
      {notReady ? (
        <Alert type="warning" showIcon title={t('queue.unavailable')} />
      ) : teams.length === 0 ? (
        <Card variant="borderless">
          <Empty description={t('queue.empty')} />
        </Card>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {teams.map((q) => (
            <QueueCard
              key={q.team_id || '-'}
              q={q}
              dir={dir}
              now={now}
              elapsed={Math.max(0, now - fetchedAt)}
              canAssign={canAssign}
              canPause={canAssign || has('users.manage')}
              onChanged={refresh}
            />
          ))}
        </Space>
      )}
    </>
  );
}

interface CardProps {
  q: QueueTeam;
  dir: Directory;
  now: number;
  /** ms since the queue was fetched, so the longest wait keeps counting. */
  elapsed: number;
  canAssign: boolean;
  canPause: boolean;
  onChanged: () => Promise<void>;
}

function QueueCard({ q, dir, now, elapsed, canAssign, canPause, onChanged }: CardProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const [selected, setSelected] = useState<string[]>([]);
  const [assignee, setAssignee] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const convs = q.conversations ?? [];

  // Drop selections that left the queue.
  const convList = q.conversations;
  useEffect(() => {
    setSelected((prev) => {
      const keep = prev.filter((id) => (convList ?? []).some((c) => c.id === id));
      return keep.length === prev.length ? prev : keep;
    });
  }, [convList]);

  const toggle = async (on: boolean) => {
    setBusy(true);
    try {
      await api.patch(`/teams/${encodeURIComponent(q.team_id)}`, { auto_assign: on });
      message.success(on ? t('teams.resumed', { name: q.team_name }) : t('teams.paused', { name: q.team_name }));
      await onChanged();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const assign = async () => {
    if (!assignee || !selected.length) return;
    setBusy(true);
    try {
      for (const id of selected) await api.post(`/conversations/${encodeURIComponent(id)}/assign`, { assignee_id: assignee });
      message.success(t('queue.assigned', { n: selected.length, name: dir.agentName(assignee) }));
      setSelected([]);
      await onChanged();
    } catch (err) {
      showError(err);
      void onChanged();
    } finally {
      setBusy(false);
    }
  };

  const agentOptions = dir.agents
    .filter((a) => !q.team_id || (a.team_ids ?? []).includes(q.team_id))
    .sort((a, b) => Number(b.online) - Number(a.online))
    .map((a) => ({
      value: a.id,
      search: a.name,
      label: (
        <Space size={6}>
          <span className={`kf-online${a.online ? ' on' : ''}`} />
          {a.name}
        </Space>
      ),
    }));

  const since = (c: Conversation) => c.queued_at || c.waiting_since || c.created_at;
  const columns: TableColumnsType<Conversation> = [
    {
      title: t('queue.contact'),
      key: 'contact',
      render: (_, c) => <Link to={`/inbox/${encodeURIComponent(c.id)}`}>{contactName(t, c)}</Link>,
    },
    {
      title: t('inbox.priority'),
      dataIndex: 'priority',
      width: 100,
      render: (p: string) => <Tag color={PRIORITY_COLOR[p]}>{priorityLabel(t, p)}</Tag>,
    },
    { title: t('queue.channel'), dataIndex: 'channel', width: 100, render: (c: string) => channelLabel(t, c) },
    {
      title: t('queue.wait'),
      key: 'wait',
      width: 140,
      render: (_, c) => {
        const lv = waitLevel(since(c), now);
        return (
          <Typography.Text type={lv === 'danger' ? 'danger' : lv === 'warn' ? 'warning' : undefined}>
            {waitText(t, since(c), now)}
          </Typography.Text>
        );
      },
    },
  ];

  return (
    <Card
      variant="borderless"
      data-testid={`queue-card-${q.team_id || 'none'}`}
      title={
        <Space>
          {q.team_id ? q.team_name : t('queue.unteamed')}
          {q.team_id && !q.auto_assign && <Tag color="orange">{t('queue.pausedTag')}</Tag>}
        </Space>
      }
      extra={
        q.team_id ? (
          <Space>
            <Typography.Text type="secondary">{t('teams.autoAssign')}</Typography.Text>
            <Switch checked={q.auto_assign} disabled={!canPause} loading={busy} onChange={(v) => void toggle(v)} />
          </Space>
        ) : null
      }
    >
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Statistic title={t('queue.waiting')} value={q.waiting} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('queue.longestWait')} value={q.waiting ? durationText(t, q.longest_wait_ms + elapsed) : '—'} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('queue.agentsOnline')} value={q.agents_online} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('queue.capacityFree')} value={q.capacity_free} />
        </Col>
      </Row>
      {convs.length > 0 && (
        <>
          {canAssign && (
            <Space style={{ marginBottom: 12 }} wrap>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'search' }}
                placeholder={t('queue.pickAgent')}
                options={agentOptions}
                value={assignee}
                onChange={setAssignee}
                style={{ width: 220 }}
                data-testid="queue-agent"
              />
              <Button type="primary" disabled={!assignee || !selected.length} loading={busy} onClick={() => void assign()}>
                {t('queue.assign', { n: selected.length })}
              </Button>
            </Space>
          )}
          <Table<Conversation>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={convs}
            pagination={false}
            rowSelection={canAssign ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) } : undefined}
          />
        </>
      )}
    </Card>
  );
}
