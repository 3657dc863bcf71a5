import { useState } from 'react';
import { App, Badge, Button, Card, Form, InputNumber, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { RoutingAgent } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import PageHeader from '../components/PageHeader';
import { useApiError } from '../lib/errors';
import { fmtTime, fromNow } from '../lib/format';
import { kindLabel, PRESENCE_BADGE, presenceLabel, WORK_KINDS } from '../lib/routing';
import { useApiList } from '../lib/useApiList';
import { useDirectory } from '../lib/useDirectory';

interface AgentForm {
  capacity: Record<string, number>;
  skills: string[];
}

/** The routing roster: presence, load against capacity per kind of work, and skills. */
export default function AgentsPage() {
  const { t } = useTranslation();
  const { has } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const { items, setItems, loading, reload } = useApiList<RoutingAgent>('/routing/agents', showError);
  const dir = useDirectory(showError);
  const canEdit = has('conversations.assign') || has('users.manage');
  const [editing, setEditing] = useState<RoutingAgent | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<AgentForm>();

  const open = (a: RoutingAgent) => {
    setEditing(a);
    form.setFieldsValue({
      capacity: Object.fromEntries(WORK_KINDS.map((k) => [k, a.capacity?.[k] ?? 0])),
      skills: a.skills ?? [],
    });
  };

  const save = async (v: AgentForm) => {
    if (!editing) return;
    setSaving(true);
    try {
      const body = { capacity: v.capacity, skills: (v.skills ?? []).map((s) => s.trim()).filter(Boolean) };
      const a = await api.patch<RoutingAgent>(`/routing/agents/${encodeURIComponent(editing.user_id)}`, body);
      setItems((prev) => prev.map((x) => (x.user_id === editing.user_id ? { ...x, ...(a ?? body) } : x)));
      message.success(t('common.saved'));
      setEditing(null);
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableColumnsType<RoutingAgent> = [
    { title: t('users.name'), dataIndex: 'name', width: 160, render: (n: string) => <Typography.Text strong>{n || '—'}</Typography.Text> },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 120,
      render: (s: string, a) => (
        <Tooltip title={a.status_at ? fmtTime(a.status_at) : undefined}>
          <Badge status={PRESENCE_BADGE[s] ?? 'default'} text={presenceLabel(t, s)} />
        </Tooltip>
      ),
    },
    {
      title: t('agents.load'),
      key: 'load',
      render: (_, a) => (
        <Space size={4} wrap>
          {WORK_KINDS.filter((k) => (a.capacity?.[k] ?? 0) > 0 || (a.load?.[k] ?? 0) > 0).map((k) => {
            const load = a.load?.[k] ?? 0;
            const cap = a.capacity?.[k] ?? 0;
            return (
              <Tag key={k} color={load >= cap ? 'orange' : 'blue'} data-testid={`agent-load-${k}`}>
                {kindLabel(t, k)} {load}/{cap}
              </Tag>
            );
          })}
        </Space>
      ),
    },
    {
      title: t('agents.skills'),
      dataIndex: 'skills',
      render: (s: string[] | null) =>
        s?.length ? (
          <Space size={4} wrap>
            {s.map((x) => (
              <Tag key={x}>{x}</Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('agents.teams'),
      dataIndex: 'team_ids',
      render: (ids: string[] | null) => (ids ?? []).map((id) => dir.teamName(id) || id).join(t('common.listSep')) || '—',
    },
    {
      title: t('agents.lastAssigned'),
      dataIndex: 'last_assigned_at',
      width: 130,
      render: (v?: string | null) => (v ? <Tooltip title={fmtTime(v)}>{fromNow(v)}</Tooltip> : '—'),
    },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, a: RoutingAgent) => (
              <Button type="link" size="small" onClick={() => open(a)} data-testid={`agent-edit-${a.user_id}`}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('agents.title')}
        sub={t('agents.sub')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void reload()}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Card variant="borderless">
        <Table<RoutingAgent>
          rowKey="user_id"
          columns={columns}
          dataSource={items}
          loading={loading}
          pagination={items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          scroll={{ x: 900 }}
          data-testid="agents-table"
        />
      </Card>
      <Modal
        title={t('agents.editTitle', { name: editing?.name ?? '' })}
        open={!!editing}
        onCancel={() => setEditing(null)}
        okText={t('common.save')}
        onOk={() => form.submit()}
        confirmLoading={saving}
        forceRender
        width={480}
      >
        <Form<AgentForm> form={form} layout="vertical" onFinish={(v) => void save(v)} style={{ marginTop: 16 }}>
          <Form.Item label={t('agents.capacity')} extra={t('agents.capacityHelp')}>
            <Space size={12} wrap>
              {WORK_KINDS.map((k) => (
                <Form.Item key={k} name={['capacity', k]} noStyle>
                  <InputNumber min={0} max={100} prefix={kindLabel(t, k)} style={{ width: 130 }} />
                </Form.Item>
              ))}
            </Space>
          </Form.Item>
          <Form.Item name="skills" label={t('agents.skills')} extra={t('agents.skillsHelp')}>
            <Select mode="tags" tokenSeparators={[',', ' ']} open={false} suffixIcon={null} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
