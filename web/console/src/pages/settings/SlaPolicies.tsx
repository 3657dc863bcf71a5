import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { SLAPolicy } from '../../api/types';
import { EditDrawer, ListHeader, ListTable, RowActions } from '../../components/ListPage';
import { CHANNELS, channelLabel, PRIORITIES, PRIORITY_COLOR, priorityLabel } from '../../lib/conversations';
import { useApiError } from '../../lib/errors';
import { minutesText, SLA_TARGETS } from '../../lib/sla';
import { useApiList } from '../../lib/useApiList';
import { useDirectory } from '../../lib/useDirectory';
import { useFormSave } from '../../lib/useFormSave';
import { useRemove } from '../../lib/useRemove';

type PolicyForm = Omit<SLAPolicy, 'id' | 'created_at' | 'updated_at'>;

const MINUTES_FIELD = {
  first_response: 'first_response_minutes',
  next_response: 'next_response_minutes',
  resolution: 'resolution_minutes',
} as const;

/** Minutes field with its h/min reading underneath. */
function MinutesInput({ value, onChange, testId }: { value?: number; onChange?: (v: number) => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Space size={8}>
      <InputNumber<number>
        min={0}
        max={525600}
        value={value}
        onChange={(v) => onChange?.(v ?? 0)}
        suffix={t('teams.minutes')}
        style={{ width: 150 }}
        data-testid={testId}
      />
      <Typography.Text type="secondary">{value ? `= ${minutesText(t, value)}` : t('sla.policy.none')}</Typography.Text>
    </Space>
  );
}

/** SLA policies: targets for first response, next response and resolution, tried in position order. */
export default function SlaPoliciesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const { items, loading, reload } = useApiList<SLAPolicy>('/sla-policies', showError);
  const dir = useDirectory(showError);
  const [editing, setEditing] = useState<SLAPolicy | 'new' | null>(null);
  const [form] = Form.useForm<PolicyForm>();
  const { saving, run } = useFormSave(form);
  const del = useRemove();

  useEffect(() => {
    if (!editing) return;
    const last = items.reduce((m, p) => Math.max(m, p.position), 0);
    form.resetFields();
    form.setFieldsValue(
      editing === 'new'
        ? {
            name: '',
            priority: '',
            team_id: '',
            channel: '',
            first_response_minutes: 60,
            next_response_minutes: 60,
            resolution_minutes: 48 * 60,
            warn_percent: 80,
            position: last + 10,
          }
        : editing,
    );
  }, [editing, form, items]);

  const save = (v: PolicyForm) =>
    run(async () => {
      const body = { ...v, name: v.name.trim(), priority: v.priority ?? '', team_id: v.team_id ?? '', channel: v.channel ?? '' };
      if (editing === 'new') await api.post<SLAPolicy>('/sla-policies', body);
      else if (editing) await api.put<SLAPolicy>(`/sla-policies/${encodeURIComponent(editing.id)}`, body);
      message.success(t('common.saved'));
      setEditing(null);
      void reload();
    });

  const remove = (p: SLAPolicy) => del(`/sla-policies/${encodeURIComponent(p.id)}`, t('sla.policy.deleted'), reload);

  const any = <Typography.Text type="secondary">{t('sla.policy.any')}</Typography.Text>;

  const columns: TableColumnsType<SLAPolicy> = [
    { title: t('sla.policy.position'), dataIndex: 'position', width: 70, align: 'right' },
    { title: t('sla.policy.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    {
      title: t('sla.policy.appliesTo'),
      key: 'scope',
      width: 240,
      render: (_, p) =>
        p.priority || p.team_id || p.channel ? (
          <Space size={[4, 4]} wrap>
            {p.priority && <Tag color={PRIORITY_COLOR[p.priority]}>{t('sla.policy.priorityIs', { p: priorityLabel(t, p.priority) })}</Tag>}
            {p.team_id && <Tag color="blue">{t('sla.policy.teamIs', { team: dir.teamName(p.team_id) || p.team_id })}</Tag>}
            {p.channel && <Tag color="cyan">{t('sla.policy.channelIs', { channel: channelLabel(t, p.channel) })}</Tag>}
          </Space>
        ) : (
          <Tag>{t('sla.policy.all')}</Tag>
        ),
    },
    ...SLA_TARGETS.map((target) => ({
      title: t(`sla.target.${target}`),
      dataIndex: MINUTES_FIELD[target],
      width: 120,
      render: (v: number) => (v ? minutesText(t, v) : any),
    })),
    { title: t('sla.policy.warn'), dataIndex: 'warn_percent', width: 90, render: (v: number) => (v ? `${v}%` : any) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_, p) => (
        <RowActions onEdit={() => setEditing(p)} editTestId="sla-edit" confirm={t('sla.policy.deleteConfirm', { name: p.name })} onDelete={() => remove(p)} />
      ),
    },
  ];

  const isNew = editing === 'new';

  return (
    <>
      <ListHeader
        title={t('sla.policy.title')}
        sub={t('sla.policy.sub')}
        onRefresh={reload}
        create={{ label: t('sla.policy.create'), testId: 'sla-create', onClick: () => setEditing('new') }}
      />
      <ListTable<SLAPolicy>
        testId="sla-table"
        columns={columns}
        items={[...items].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))}
        loading={loading}
        empty={t('sla.policy.empty')}
        intro={<Alert type="info" showIcon title={t('sla.policy.howTitle')} description={t('sla.policy.how')} style={{ marginBottom: 16 }} />}
      />

      <EditDrawer
        open={!!editing}
        isNew={isNew}
        createTitle={t('sla.policy.create')}
        editTitle={t('sla.policy.editTitle')}
        onClose={() => setEditing(null)}
        onSave={() => form.submit()}
        saving={saving}
        saveTestId="sla-save"
        size={560}
      >
        <Form<PolicyForm> form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item name="name" label={t('sla.policy.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={60} data-testid="sla-form-name" />
          </Form.Item>
          <Typography.Title level={5}>{t('sla.policy.appliesTo')}</Typography.Title>
          <Space align="start" size={12} wrap>
            <Form.Item name="priority" label={t('inbox.priority')}>
              <Select
                style={{ width: 140 }}
                options={[{ value: '', label: t('sla.policy.any') }, ...PRIORITIES.map((p) => ({ value: p, label: priorityLabel(t, p) }))]}
              />
            </Form.Item>
            <Form.Item name="team_id" label={t('inbox.team')}>
              <Select
                style={{ width: 180 }}
                showSearch={{ optionFilterProp: 'label' }}
                options={[{ value: '', label: t('sla.policy.any') }, ...dir.teams.map((tm) => ({ value: tm.id, label: tm.name }))]}
              />
            </Form.Item>
            <Form.Item name="channel" label={t('sla.policy.channel')}>
              <Select
                style={{ width: 140 }}
                options={[{ value: '', label: t('sla.policy.any') }, ...CHANNELS.map((c) => ({ value: c, label: channelLabel(t, c) }))]}
              />
            </Form.Item>
          </Space>
          <Typography.Title level={5}>{t('sla.policy.targets')}</Typography.Title>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('sla.policy.targetsHelp')}
          </Typography.Paragraph>
          {SLA_TARGETS.map((target) => (
            <Form.Item key={target} name={MINUTES_FIELD[target]} label={t(`sla.target.${target}`)} extra={t(`sla.policy.help.${target}`)}>
              <MinutesInput testId={`sla-form-${target}`} />
            </Form.Item>
          ))}
          <Space align="start" size={12}>
            <Form.Item name="warn_percent" label={t('sla.policy.warn')} extra={t('sla.policy.warnHelp')}>
              <InputNumber min={0} max={99} suffix="%" style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="position" label={t('sla.policy.position')} extra={t('sla.policy.positionHelp')}>
              <InputNumber min={0} max={100000} style={{ width: 120 }} />
            </Form.Item>
          </Space>
        </Form>
      </EditDrawer>
    </>
  );
}
