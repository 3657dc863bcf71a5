import { useEffect, useState } from 'react';
import { App, Avatar, Button, Form, Input, InputNumber, Radio, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { RoutingStrategy, Team } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import CreateButton from '../components/CreateButton';
import { EditDrawer, ListTable } from '../components/ListPage';
import PageHeader from '../components/PageHeader';
import { useApiError } from '../lib/errors';
import { STRATEGIES, strategyLabel } from '../lib/routing';
import { useDirectory } from '../lib/useDirectory';
import { useFormSave } from '../lib/useFormSave';

interface TeamForm {
  name: string;
  description: string;
  member_ids: string[];
  strategy: RoutingStrategy;
  auto_assign: boolean;
  overflow_team_id?: string;
  overflow_minutes: number;
}

/** Teams with their members and how conversations are routed to them; users.manage edits, conversations.assign pauses. */
export default function TeamsPage() {
  const { t } = useTranslation();
  const { has } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const dir = useDirectory(showError);
  const canEdit = has('users.manage');
  const canPause = canEdit || has('conversations.assign');
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [toggling, setToggling] = useState('');
  const [form] = Form.useForm<TeamForm>();
  const { saving, run } = useFormSave(form);

  useEffect(() => {
    if (!editing) return;
    const tm = editing === 'new' ? null : editing;
    form.setFieldsValue({
      name: tm?.name ?? '',
      description: tm?.description ?? '',
      member_ids: tm?.member_ids ?? [],
      strategy: tm?.strategy ?? 'least_loaded',
      auto_assign: tm?.auto_assign ?? true,
      overflow_team_id: tm?.overflow_team_id || undefined,
      overflow_minutes: tm?.overflow_minutes ?? 0,
    });
  }, [editing, form]);

  const save = (v: TeamForm) =>
    run(async () => {
      const body = { ...v, name: v.name.trim(), description: (v.description ?? '').trim(), overflow_team_id: v.overflow_team_id ?? '' };
      if (editing === 'new') await api.post<Team>('/teams', body);
      else if (editing) await api.patch<Team>(`/teams/${encodeURIComponent(editing.id)}`, body);
      message.success(t('common.saved'));
      setEditing(null);
      void dir.reload();
    });

  const toggle = async (tm: Team, on: boolean) => {
    setToggling(tm.id);
    try {
      await api.patch<Team>(`/teams/${encodeURIComponent(tm.id)}`, { auto_assign: on });
      message.success(on ? t('teams.resumed', { name: tm.name }) : t('teams.paused', { name: tm.name }));
      void dir.reload();
    } catch (err) {
      showError(err);
    } finally {
      setToggling('');
    }
  };

  const columns: TableColumnsType<Team> = [
    {
      title: t('teams.name'),
      dataIndex: 'name',
      width: 200,
      render: (name: string, tm) => (
        <div>
          <Typography.Text strong>{name}</Typography.Text>
          {tm.description && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {tm.description}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('teams.members'),
      dataIndex: 'member_ids',
      render: (ids: string[] | null) =>
        ids?.length ? (
          <Avatar.Group max={{ count: 6 }} size={28}>
            {ids.map((id) => (
              <Tooltip key={id} title={dir.agentName(id) || id}>
                <Avatar style={{ background: '#1677ff' }}>{(dir.agentName(id) || '?').slice(0, 1)}</Avatar>
              </Tooltip>
            ))}
          </Avatar.Group>
        ) : (
          <Typography.Text type="secondary">{t('teams.noMembers')}</Typography.Text>
        ),
    },
    { title: t('teams.strategy'), dataIndex: 'strategy', width: 120, render: (s?: string) => <Tag>{strategyLabel(t, s)}</Tag> },
    {
      title: t('teams.autoAssign'),
      dataIndex: 'auto_assign',
      width: 110,
      render: (on: boolean | undefined, tm) => (
        <Switch
          size="small"
          checked={!!on}
          disabled={!canPause}
          loading={toggling === tm.id}
          onChange={(v) => void toggle(tm, v)}
          data-testid={`team-auto-${tm.id}`}
        />
      ),
    },
    {
      title: t('teams.overflow'),
      key: 'overflow',
      width: 200,
      render: (_, tm) =>
        tm.overflow_team_id ? (
          t('teams.overflowText', { team: dir.teamName(tm.overflow_team_id) || tm.overflow_team_id, n: tm.overflow_minutes ?? 0 })
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, tm: Team) => (
              <Button type="link" size="small" onClick={() => setEditing(tm)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const isNew = editing === 'new';
  const editingId = editing && editing !== 'new' ? editing.id : '';

  return (
    <>
      <PageHeader
        title={t('teams.title')}
        sub={t('teams.sub')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => void dir.reload()}>
              {t('common.refresh')}
            </Button>
            {canEdit && (
              <CreateButton testId="teams-create" onClick={() => setEditing('new')}>
                {t('teams.create')}
              </CreateButton>
            )}
          </>
        }
      />
      <ListTable<Team> testId="teams-table" columns={columns} items={dir.teams} loading={dir.loading} scrollX={900} />

      <EditDrawer
        open={!!editing}
        isNew={isNew}
        createTitle={t('teams.create')}
        editTitle={t('teams.editTitle')}
        onClose={() => setEditing(null)}
        onSave={() => form.submit()}
        saving={saving}
        saveTestId="team-save"
        size={520}
      >
        <Form<TeamForm> form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item name="name" label={t('teams.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={100} data-testid="team-form-name" />
          </Form.Item>
          <Form.Item name="description" label={t('teams.description')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Form.Item name="member_ids" label={t('teams.members')}>
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={dir.agents.map((a) => ({ value: a.id, label: a.name }))}
            />
          </Form.Item>
          <Form.Item name="strategy" label={t('teams.strategy')} extra={t('teams.strategyHelp')}>
            <Radio.Group optionType="button" options={STRATEGIES.map((s) => ({ value: s, label: strategyLabel(t, s) }))} />
          </Form.Item>
          <Form.Item name="auto_assign" label={t('teams.autoAssign')} valuePropName="checked" extra={t('teams.autoAssignHelp')}>
            <Switch />
          </Form.Item>
          <Space align="start" size={12} style={{ display: 'flex' }}>
            <Form.Item name="overflow_team_id" label={t('teams.overflowTeam')} style={{ width: 240 }}>
              <Select
                allowClear
                placeholder={t('teams.overflowNone')}
                options={dir.teams.filter((tm) => tm.id !== editingId).map((tm) => ({ value: tm.id, label: tm.name }))}
              />
            </Form.Item>
            <Form.Item name="overflow_minutes" label={t('teams.overflowMinutes')}>
              <InputNumber min={0} max={1440} suffix={t('teams.minutes')} style={{ width: 140 }} />
            </Form.Item>
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('teams.overflowHelp')}
          </Typography.Text>
        </Form>
      </EditDrawer>
    </>
  );
}
