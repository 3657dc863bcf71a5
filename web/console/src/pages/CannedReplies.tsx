import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Modal, Radio, Select, Space, Table, Tabs, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { InfoCircleOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { HTMLAttributes } from 'react';
import { api, withQuery } from '../api/client';
import type { CannedReply, CannedScope } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import CreateButton from '../components/CreateButton';
import { RowActions } from '../components/ListPage';
import PageHeader from '../components/PageHeader';
import VariableTags, { useInsertAtCursor, variableKey } from '../components/VariableTags';
import { useApiError } from '../lib/errors';
import { requiredText } from '../lib/formRules';
import { fmtTime, fromNow } from '../lib/format';
import { useApiList } from '../lib/useApiList';
import { useDirectory } from '../lib/useDirectory';
import { useFormSave } from '../lib/useFormSave';
import { useRemove } from '../lib/useRemove';

interface CannedForm {
  shortcut: string;
  title: string;
  content: string;
  scope: CannedScope;
  team_id?: string;
}

const SCOPES: CannedScope[] = ['personal', 'team', 'shared'];
export const CANNED_VARIABLES = ['{{contact.name}}', '{{agent.name}}', '{{conversation.id}}'];

export default function CannedRepliesPage() {
  const { t } = useTranslation();
  const { me, has } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const canManage = has('canned.manage');
  const canPersonal = has('conversations.reply');
  const [scope, setScope] = useState<CannedScope>(canPersonal ? 'personal' : 'shared');
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<CannedReply | 'new' | null>(null);
  const [form] = Form.useForm<CannedForm>();
  const { saving, run } = useFormSave(form);
  const del = useRemove();
  const { ref: contentRef, insert: insertVariable } = useInsertAtCursor(form, 'content');
  const formScope = Form.useWatch('scope', form);
  const dir = useDirectory(showError);
  const { items, loading, reload } = useApiList<CannedReply>(withQuery('/canned-replies', { scope, q }), showError);

  // Search as the agent types, a moment after the last key.
  useEffect(() => {
    const id = window.setTimeout(() => setQ(input.trim()), 300);
    return () => window.clearTimeout(id);
  }, [input]);

  const mayEdit = useCallback((c: CannedReply) => (c.scope === 'personal' ? c.owner_id === me?.user.id || !c.owner_id : canManage), [canManage, me]);
  const mayCreate = (s: CannedScope) => (s === 'personal' ? canPersonal : canManage);

  const openForm = (c: CannedReply | 'new') => {
    setEditing(c);
    form.resetFields();
    if (c === 'new') form.setFieldsValue({ shortcut: '', title: '', content: '', scope: mayCreate(scope) ? scope : 'personal', team_id: undefined });
    else form.setFieldsValue({ shortcut: c.shortcut, title: c.title, content: c.content, scope: c.scope, team_id: c.team_id || undefined });
  };

  const save = (v: CannedForm) =>
    run(async () => {
      const body = {
        shortcut: v.shortcut.trim().replace(/^\//, ''),
        title: v.title.trim(),
        content: v.content,
        scope: v.scope,
        team_id: v.scope === 'team' ? v.team_id : undefined,
      };
      if (editing === 'new') await api.post('/canned-replies', body);
      else if (editing) await api.patch(`/canned-replies/${encodeURIComponent(editing.id)}`, body);
      message.success(editing === 'new' ? t('canned.created') : t('common.saved'));
      setEditing(null);
      if (body.scope !== scope) setScope(body.scope);
      else void reload();
    });

  const remove = (c: CannedReply) => del(`/canned-replies/${encodeURIComponent(c.id)}`, t('canned.deleted'), reload);

  const columns = useMemo<TableColumnsType<CannedReply>>(
    () => [
      {
        title: t('canned.shortcut'),
        dataIndex: 'shortcut',
        width: 150,
        render: (v: string) => <span className="kf-shortcut kf-mono">/{v}</span>,
      },
      { title: t('canned.titleField'), dataIndex: 'title', width: 200, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
      {
        title: t('canned.content'),
        dataIndex: 'content',
        render: (v: string) => (
          <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
            {v}
          </Typography.Paragraph>
        ),
      },
      ...(scope === 'team'
        ? [
            {
              title: t('canned.team'),
              dataIndex: 'team_id',
              width: 140,
              render: (v: string) => dir.teamName(v) || <Typography.Text type="secondary">—</Typography.Text>,
            },
          ]
        : []),
      {
        title: t('canned.updatedAt'),
        dataIndex: 'updated_at',
        width: 130,
        render: (v: string) => <Tooltip title={fmtTime(v)}>{fromNow(v)}</Tooltip>,
      },
      {
        title: t('common.actions'),
        key: 'actions',
        width: 130,
        render: (_, c) =>
          mayEdit(c) ? (
            <RowActions
              onEdit={() => openForm(c)}
              editTestId="canned-edit"
              confirm={t('canned.deleteConfirm', { shortcut: c.shortcut })}
              onDelete={() => remove(c)}
              deleteTestId="canned-delete"
            />
          ) : (
            <Tooltip title={t('canned.readOnly')}>
              <Typography.Text type="secondary">—</Typography.Text>
            </Tooltip>
          ),
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, scope, dir, mayEdit],
  );

  return (
    <>
      <PageHeader
        title={t('canned.title')}
        sub={t('canned.sub')}
        extra={
          (canPersonal || canManage) && (
            <CreateButton testId="canned-create" onClick={() => openForm('new')}>
              {t('canned.create')}
            </CreateButton>
          )
        }
      />
      <Card variant="borderless" styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={scope}
          onChange={(k) => setScope(k as CannedScope)}
          items={SCOPES.map((s) => ({ key: s, label: <span data-testid={`canned-tab-${s}`}>{t(`canned.scopeTab.${s}`)}</span> }))}
          tabBarExtraContent={
            <Space>
              <Input
                allowClear
                prefix={<SearchOutlined style={{ color: 'rgba(0,0,0,0.3)' }} />}
                placeholder={t('canned.searchPlaceholder')}
                value={input}
                onChange={(e) => setInput(e.target.value)}
                style={{ width: 260 }}
                data-testid="canned-search"
              />
              <Button icon={<ReloadOutlined />} onClick={() => void reload()}>
                {t('common.refresh')}
              </Button>
            </Space>
          }
        />
        <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginBottom: 12 }}>
          <InfoCircleOutlined /> {t(`canned.scopeHelp.${scope}`)}
        </Typography.Paragraph>
        <Table<CannedReply>
          rowKey="id"
          columns={columns}
          dataSource={items}
          loading={loading}
          pagination={items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          data-testid="canned-table"
          onRow={() => ({ 'data-testid': 'canned-row' }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={q ? t('canned.noMatch') : t(`canned.empty.${scope}`)}
                style={{ padding: '24px 0' }}
              >
                {!q && mayCreate(scope) && (
                  <Button type="primary" onClick={() => openForm('new')}>
                    {t('canned.create')}
                  </Button>
                )}
              </Empty>
            ),
          }}
          scroll={{ x: 900 }}
        />
      </Card>

      <Modal
        title={editing === 'new' ? t('canned.create') : t('canned.editTitle')}
        open={!!editing}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={editing === 'new' ? t('common.create') : t('common.save')}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'canned-form-submit' } as Record<string, string>}
        width={600}
        forceRender
      >
        <Form<CannedForm> form={form} layout="vertical" onFinish={(v) => void save(v)} style={{ marginTop: 16 }}>
          <Form.Item name="scope" label={t('canned.scopeField')}>
            <Radio.Group
              optionType="button"
              options={SCOPES.map((s) => ({ value: s, label: t(`canned.scope.${s}`), disabled: !mayCreate(s) }))}
            />
          </Form.Item>
          {formScope === 'team' && (
            <Form.Item name="team_id" label={t('canned.team')} rules={[{ required: true, message: t('canned.teamRequired') }]}>
              <Select
                placeholder={t('canned.teamPlaceholder')}
                options={dir.teams.map((tm) => ({ value: tm.id, label: tm.name }))}
                data-testid="canned-form-team"
              />
            </Form.Item>
          )}
          <div style={{ display: 'flex', gap: 12 }}>
            <Form.Item
              name="shortcut"
              label={t('canned.shortcut')}
              extra={t('canned.shortcutHelp')}
              style={{ width: 200 }}
              rules={[
                { required: true, whitespace: true, message: t('validation.required') },
                { pattern: /^\/?[^\s/]+$/, message: t('canned.shortcutPattern') },
                { max: 32, message: t('validation.maxLength', { n: 32 }) },
              ]}
            >
              <Input prefix="/" placeholder={t('canned.shortcutPlaceholder')} className="kf-mono" data-testid="canned-form-shortcut" />
            </Form.Item>
            <Form.Item name="title" label={t('canned.titleField')} style={{ flex: 1 }} rules={requiredText(t, 80)}>
              <Input placeholder={t('canned.titlePlaceholder')} data-testid="canned-form-title" />
            </Form.Item>
          </div>
          <Form.Item label={t('canned.content')} required>
            <VariableTags
              label={t('canned.variables')}
              variables={CANNED_VARIABLES}
              help={(v) => t(`canned.variableHelp.${variableKey(v)}`)}
              onPick={insertVariable}
              testId="canned-variable"
            />
            <Form.Item name="content" noStyle rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input.TextArea
                ref={contentRef}
                rows={6}
                maxLength={2000}
                showCount
                placeholder={t('canned.contentPlaceholder', { name: CANNED_VARIABLES[0], agent: CANNED_VARIABLES[1] })}
                data-testid="canned-form-content"
              />
            </Form.Item>
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
