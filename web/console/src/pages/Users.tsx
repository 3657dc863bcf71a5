import { useMemo, useState } from 'react';
import { App, Avatar, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined, SearchOutlined, SafetyCertificateFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { User } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import CreateButton from '../components/CreateButton';
import PageHeader from '../components/PageHeader';
import PasswordField from '../components/PasswordField';
import { useApiError } from '../lib/errors';
import { fmtTime, fromNow } from '../lib/format';
import { roleLabel } from '../lib/labels';
import { useApiList } from '../lib/useApiList';
import { useRoles } from '../lib/useRoles';

interface CreateForm {
  email: string;
  name: string;
  role: string;
  password: string;
}

interface EditForm {
  name: string;
  role: string;
  disabled: boolean;
}

const ROLE_COLORS: Record<string, string> = { admin: 'red', supervisor: 'purple', agent: 'blue', auditor: 'cyan' };

export default function UsersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const { items: users, setItems: setUsers, loading, reload: load } = useApiList<User>('/users', showError);
  const [query, setQuery] = useState('');
  const { roles } = useRoles(showError);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [saving, setSaving] = useState(false);
  const [createForm] = Form.useForm<CreateForm>();
  const [editForm] = Form.useForm<EditForm>();
  const [pwForm] = Form.useForm<{ password: string }>();

  const roleOptions = useMemo(
    () => roles.map((r) => ({ value: r.name, label: roleLabel(t, r.name) + (r.builtin ? '' : ` · ${t('roles.custom')}`) })),
    [roles, t],
  );

  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return users;
    return users.filter((u) => u.name.toLowerCase().includes(q) || u.email.toLowerCase().includes(q));
  }, [users, query]);

  const create = async (v: CreateForm) => {
    setSaving(true);
    try {
      const u = await api.post<User>('/users', { ...v, email: v.email.trim(), name: v.name.trim() });
      message.success(t('users.created', { name: u?.name ?? v.name }));
      setCreating(false);
      void load();
    } catch (err) {
      showError(err, createForm);
    } finally {
      setSaving(false);
    }
  };

  const update = async (v: EditForm) => {
    if (!editing) return;
    setSaving(true);
    try {
      const patch: Partial<EditForm> = {};
      if (v.name !== editing.name) patch.name = v.name.trim();
      if (v.role !== editing.role) patch.role = v.role;
      if (v.disabled !== editing.disabled) patch.disabled = v.disabled;
      const u = await api.patch<User>(`/users/${encodeURIComponent(editing.id)}`, patch);
      setUsers((prev) => prev.map((x) => (x.id === editing.id ? { ...x, ...(u ?? patch) } : x)));
      message.success(t('common.saved'));
      setEditing(null);
    } catch (err) {
      showError(err, editForm);
    } finally {
      setSaving(false);
    }
  };

  const resetPassword = async (v: { password: string }) => {
    if (!resetting) return;
    setSaving(true);
    try {
      await api.post(`/users/${encodeURIComponent(resetting.id)}/password`, { password: v.password });
      message.success(t('users.passwordReset', { name: resetting.name || resetting.email }));
      setResetting(null);
    } catch (err) {
      showError(err, pwForm);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableColumnsType<User> = [
    {
      title: t('users.name'),
      dataIndex: 'name',
      width: 200,
      render: (name: string, u) => (
        <Space>
          <Avatar size={32} style={{ background: u.disabled ? '#bfbfbf' : '#1677ff', flex: '0 0 32px' }}>
            {(name || u.email).slice(0, 1).toUpperCase()}
          </Avatar>
          <Typography.Text strong>{name || '—'}</Typography.Text>
          {u.id === me?.user.id && <Tag>{t('users.you')}</Tag>}
        </Space>
      ),
    },
    { title: t('users.email'), dataIndex: 'email', ellipsis: true },
    {
      title: t('users.role'),
      dataIndex: 'role',
      width: 140,
      render: (r: string) => <Tag color={ROLE_COLORS[r] ?? 'geekblue'}>{roleLabel(t, r)}</Tag>,
    },
    {
      title: t('users.twofa'),
      dataIndex: 'totp_enabled',
      width: 110,
      render: (on: boolean) =>
        on ? (
          <Tag color="success" icon={<SafetyCertificateFilled />}>
            {t('twofa.on')}
          </Tag>
        ) : (
          <Tag>{t('twofa.off')}</Tag>
        ),
    },
    {
      title: t('common.status'),
      dataIndex: 'disabled',
      width: 100,
      render: (d: boolean) => (d ? <Tag color="default">{t('users.disabled')}</Tag> : <Tag color="green">{t('users.active')}</Tag>),
    },
    {
      title: t('users.lastLogin'),
      dataIndex: 'last_login_at',
      width: 150,
      render: (v?: string) => (v ? <Tooltip title={fmtTime(v)}>{fromNow(v)}</Tooltip> : <Typography.Text type="secondary">{t('users.neverLoggedIn')}</Typography.Text>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_, u) => (
        <Space size={4}>
          <Button
            type="link"
            size="small"
            onClick={() => {
              setEditing(u);
              editForm.setFieldsValue({ name: u.name, role: u.role, disabled: u.disabled });
            }}
          >
            {t('common.edit')}
          </Button>
          <Button type="link" size="small" onClick={() => setResetting(u)}>
            {t('users.resetPassword')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('users.title')}
        sub={t('users.sub')}
        extra={
          <CreateButton testId="users-create" onClick={() => setCreating(true)}>
            {t('users.create')}
          </CreateButton>
        }
      />
      <Card variant="borderless">
        <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 16, gap: 12 }}>
          <Input
            allowClear
            prefix={<SearchOutlined style={{ color: 'rgba(0,0,0,0.3)' }} />}
            placeholder={t('users.filterPlaceholder')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            style={{ maxWidth: 320 }}
          />
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            {t('common.refresh')}
          </Button>
        </div>
        <Table<User>
          rowKey="id"
          columns={columns}
          dataSource={filtered}
          loading={loading}
          pagination={filtered.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          scroll={{ x: 1000 }}
          data-testid="users-table"
        />
      </Card>

      <Modal
        title={t('users.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        okText={t('common.create')}
        onOk={() => createForm.submit()}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'user-form-submit' } as Record<string, string>}
        destroyOnHidden
        width={520}
      >
        <Form<CreateForm>
          form={createForm}
          layout="vertical"
          onFinish={(v) => void create(v)}
          initialValues={{ role: 'agent' }}
          preserve={false}
          style={{ marginTop: 16 }}
        >
          <Form.Item
            name="email"
            label={t('users.email')}
            rules={[
              { required: true, message: t('validation.required') },
              { type: 'email', message: t('validation.email') },
            ]}
          >
            <Input autoComplete="off" data-testid="user-form-email" placeholder="name@example.com" />
          </Form.Item>
          <Form.Item name="name" label={t('users.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input autoComplete="off" data-testid="user-form-name" />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select options={roleOptions} data-testid="user-form-role" />
          </Form.Item>
          <PasswordField
            name="password"
            label={t('users.initialPassword')}
            extra={t('users.initialPasswordHelp')}
            generate
            testId="user-form-password"
          />
        </Form>
      </Modal>

      <Modal
        title={t('users.editTitle', { name: editing?.name || editing?.email })}
        open={!!editing}
        onCancel={() => setEditing(null)}
        okText={t('common.save')}
        onOk={() => editForm.submit()}
        confirmLoading={saving}
        forceRender
        width={520}
      >
        <Form<EditForm> form={editForm} layout="vertical" onFinish={(v) => void update(v)} style={{ marginTop: 16 }}>
          <Form.Item label={t('users.email')}>
            <Input value={editing?.email} disabled />
          </Form.Item>
          <Form.Item name="name" label={t('users.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select options={roleOptions} />
          </Form.Item>
          <Form.Item name="disabled" label={t('users.disableAccount')} valuePropName="checked" extra={t('users.disableHelp')}>
            <Switch disabled={editing?.id === me?.user.id} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('users.resetTitle', { name: resetting?.name || resetting?.email })}
        open={!!resetting}
        onCancel={() => setResetting(null)}
        okText={t('users.resetPassword')}
        onOk={() => pwForm.submit()}
        confirmLoading={saving}
        destroyOnHidden
        width={480}
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('users.resetDesc')}
        </Typography.Paragraph>
        <Form form={pwForm} layout="vertical" onFinish={(v) => void resetPassword(v)} preserve={false}>
          <PasswordField name="password" label={t('users.newPassword')} generate />
        </Form>
      </Modal>
    </>
  );
}
