import { useMemo, useState } from 'react';
import { App, Form, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CannedReply, Rule, SLAPolicy } from '../../api/types';
import { EditDrawer, ListHeader, ListTable, RowActions } from '../../components/ListPage';
import { useApiError } from '../../lib/errors';
import { actionTypeLabel, eventLabel } from '../../lib/rules';
import { useApiList } from '../../lib/useApiList';
import { useFormSave } from '../../lib/useFormSave';
import { useRemove } from '../../lib/useRemove';
import { useDirectory } from '../../lib/useDirectory';
import RuleEditor, { formToRule, ruleToForm } from './RuleEditor';
import type { RuleForm } from './RuleEditor';

/** Automation rules: evaluated in position order on conversation events. */
export default function RulesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const { items, setItems, loading, reload } = useApiList<Rule>('/rules', showError);
  const dir = useDirectory(showError);
  const policies = useApiList<SLAPolicy>('/sla-policies', showError);
  const canned = useApiList<CannedReply>('/canned-replies', showError);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [form] = Form.useForm<RuleForm>();
  const { saving, submit } = useFormSave(form);
  const del = useRemove();
  const [toggling, setToggling] = useState('');
  const sorted = useMemo(() => [...items].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id)), [items]);
  const choices = useMemo(() => ({ teams: dir.teams, policies: policies.items, canned: canned.items }), [dir.teams, policies.items, canned.items]);

  const open = (r: Rule | 'new') => {
    setEditing(r);
    form.resetFields();
    const last = items.reduce((m, x) => Math.max(m, x.position), 0);
    form.setFieldsValue(ruleToForm(r === 'new' ? null : r, last + 10));
  };

  const base = editing && editing !== 'new' ? editing : null;

  const save = () =>
    submit(async () => {
      const rule = formToRule(form.getFieldsValue(true) as RuleForm, base);
      if (base) await api.put<Rule>(`/rules/${encodeURIComponent(base.id)}`, rule);
      else await api.post<Rule>('/rules', rule);
      message.success(t('common.saved'));
      setEditing(null);
      void reload();
    });

  const toggle = async (r: Rule, enabled: boolean) => {
    setToggling(r.id);
    try {
      const saved = await api.put<Rule>(`/rules/${encodeURIComponent(r.id)}`, { ...r, enabled });
      setItems((prev) => prev.map((x) => (x.id === r.id ? { ...x, ...saved, enabled } : x)));
    } catch (err) {
      showError(err);
    } finally {
      setToggling('');
    }
  };

  const remove = (r: Rule) => del(`/rules/${encodeURIComponent(r.id)}`, t('rules.deleted'), reload);

  const columns: TableColumnsType<Rule> = [
    { title: t('rules.position'), dataIndex: 'position', width: 70, align: 'right' },
    {
      title: t('rules.name'),
      dataIndex: 'name',
      render: (v: string, r) => (
        <div>
          <Typography.Text strong>{v}</Typography.Text>
          {r.stop_after && (
            <Tooltip title={t('rules.stopAfter')}>
              <Tag bordered={false} style={{ marginInlineStart: 6 }}>
                {t('rules.stops')}
              </Tag>
            </Tooltip>
          )}
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(r.match === 'any' ? 'rules.summaryAny' : 'rules.summaryAll', { n: r.conditions?.length ?? 0 })}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: t('rules.events'),
      dataIndex: 'events',
      width: 240,
      render: (evs: string[] | null) => (
        <Space size={[4, 4]} wrap>
          {(evs ?? []).map((e) => (
            <Tag key={e} bordered={false} color="geekblue" style={{ marginInlineEnd: 0 }}>
              {eventLabel(t, e)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('rules.actions'),
      dataIndex: 'actions',
      width: 260,
      render: (acts: Rule['actions']) => (
        <Space size={[4, 4]} wrap>
          {(acts ?? []).map((a, i) => (
            <Tag key={i} style={{ marginInlineEnd: 0 }}>
              {actionTypeLabel(t, a.type)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('rules.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (on: boolean, r) => <Switch size="small" checked={on} loading={toggling === r.id} onChange={(v) => void toggle(r, v)} data-testid="rule-enabled" />,
    },
    {
      title: t('common.actions'),
      key: 'ops',
      width: 130,
      render: (_, r) => <RowActions onEdit={() => open(r)} editTestId="rule-edit" confirm={t('rules.deleteConfirm', { name: r.name })} onDelete={() => remove(r)} />,
    },
  ];

  return (
    <>
      <ListHeader title={t('rules.title')} sub={t('rules.sub')} onRefresh={reload} create={{ label: t('rules.create'), testId: 'rules-create', onClick: () => open('new') }} />
      <ListTable<Rule>
        testId="rules-table"
        columns={columns}
        items={sorted}
        loading={loading}
        empty={t('rules.empty')}
        intro={
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            {t('rules.intro')}
          </Typography.Paragraph>
        }
      />

      <EditDrawer
        open={!!editing}
        isNew={editing === 'new'}
        createTitle={t('rules.create')}
        editTitle={t('rules.editTitle')}
        onClose={() => setEditing(null)}
        onSave={() => void save()}
        saving={saving}
        saveTestId="rule-save"
        size={860}
      >
        <RuleEditor form={form} base={base} choices={choices} />
      </EditDrawer>
    </>
  );
}
