import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Empty, Form, Input, Modal, Popconfirm, Row, Skeleton, Space, Switch, Tag, Typography } from 'antd';
import { DeleteOutlined, LockOutlined, SafetyCertificateOutlined, SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ListResponse, Role } from '../api/types';
import CreateButton from '../components/CreateButton';
import PageHeader from '../components/PageHeader';
import PermissionPicker from '../components/PermissionPicker';
import { useApiError } from '../lib/errors';
import { roleLabel } from '../lib/labels';
import { KNOWN_PERMS } from '../lib/permissions';
import { useRemove } from '../lib/useRemove';
import { useRoles } from '../lib/useRoles';

interface RoleForm {
  name: string;
  description: string;
  permissions: string[];
  require_2fa: boolean;
}

export default function RolesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const { roles, loading, setRoles } = useRoles(showError);
  const [allPerms, setAllPerms] = useState<string[]>(KNOWN_PERMS);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [editForm] = Form.useForm<RoleForm>();
  const [createForm] = Form.useForm<RoleForm>();
  const del = useRemove();

  useEffect(() => {
    api
      .get<ListResponse<{ name: string }>>('/permissions')
      .then((res) => {
        const names = (res.items ?? []).map((p) => p.name);
        if (names.length) setAllPerms(names);
      })
      .catch(showError);
  }, [showError]);

  useEffect(() => {
    if (!selected && roles.length) setSelected(roles[0].name);
  }, [roles, selected]);

  const role = useMemo(() => roles.find((r) => r.name === selected) ?? null, [roles, selected]);

  const resetEdit = useCallback(() => {
    if (role)
      editForm.setFieldsValue({
        name: role.name,
        description: role.description,
        permissions: role.permissions ?? [],
        require_2fa: role.require_2fa,
      });
  }, [role, editForm]);

  useEffect(resetEdit, [resetEdit]);

  const replace = (r: Role) => setRoles((prev) => prev.map((x) => (x.name === r.name ? r : x)));

  const save = async (v: RoleForm) => {
    if (!role) return;
    setSaving(true);
    try {
      const body = role.builtin
        ? { require_2fa: v.require_2fa }
        : { description: v.description ?? '', permissions: v.permissions ?? [], require_2fa: v.require_2fa };
      const r = await api.patch<Role>(`/roles/${encodeURIComponent(role.name)}`, body);
      replace(r ?? { ...role, ...body });
      message.success(t('common.saved'));
    } catch (err) {
      showError(err, editForm);
    } finally {
      setSaving(false);
    }
  };

  const create = async (v: RoleForm) => {
    setSaving(true);
    try {
      const body = {
        name: v.name.trim(),
        description: v.description?.trim() ?? '',
        permissions: v.permissions ?? [],
        require_2fa: !!v.require_2fa,
      };
      const r = await api.post<Role>('/roles', body);
      setRoles((prev) => [...prev, r ?? { ...body, builtin: false }]);
      setSelected(body.name);
      setCreating(false);
      message.success(t('roles.created', { name: body.name }));
    } catch (err) {
      showError(err, createForm);
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!role) return;
    await del(`/roles/${encodeURIComponent(role.name)}`, t('roles.deleted', { name: role.name }), () => {
      setRoles((prev) => prev.filter((r) => r.name !== role.name));
      setSelected(null);
    });
  };

  return (
    <>
      <PageHeader
        title={t('roles.title')}
        sub={t('roles.sub')}
        extra={
          <CreateButton testId="roles-create" onClick={() => setCreating(true)}>
            {t('roles.create')}
          </CreateButton>
        }
      />
      <Row gutter={16} wrap={false}>
        <Col flex="280px">
          <Card variant="borderless" title={t('roles.list')} styles={{ body: { padding: 8 } }}>
            {loading ? (
              <Skeleton active style={{ padding: 12 }} />
            ) : roles.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              roles.map((r) => (
                <div
                  key={r.name}
                  className={`kf-role-item${r.name === selected ? ' active' : ''}`}
                  onClick={() => setSelected(r.name)}
                  data-testid={`role-${r.name}`}
                >
                  <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}>
                    <Typography.Text strong ellipsis>
                      {roleLabel(t, r.name)}
                    </Typography.Text>
                    {r.builtin ? (
                      <Tag icon={<LockOutlined />} style={{ marginInlineEnd: 0 }}>
                        {t('roles.builtin')}
                      </Tag>
                    ) : (
                      <Tag color="geekblue" style={{ marginInlineEnd: 0 }}>
                        {t('roles.custom')}
                      </Tag>
                    )}
                  </div>
                  <div style={{ marginTop: 4, display: 'flex', gap: 8, alignItems: 'center' }}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('roles.permCount', { n: r.permissions?.length ?? 0 })}
                    </Typography.Text>
                    {r.require_2fa && (
                      <Typography.Text type="warning" style={{ fontSize: 12 }}>
                        <SafetyCertificateOutlined /> {t('roles.requires2fa')}
                      </Typography.Text>
                    )}
                  </div>
                </div>
              ))
            )}
          </Card>
        </Col>
        <Col flex="auto" style={{ minWidth: 0 }}>
          <Card
            variant="borderless"
            title={
              role ? (
                <Space>
                  <span>{roleLabel(t, role.name)}</span>
                  {role.builtin && <Typography.Text type="secondary" className="kf-mono" style={{ fontSize: 12, fontWeight: 400 }}>{role.name}</Typography.Text>}
                </Space>
              ) : (
                t('roles.detail')
              )
            }
            extra={
              role && (
                <Space>
                  {!role.builtin && (
                    <Popconfirm
                      title={t('roles.deleteConfirm', { name: role.name })}
                      description={t('roles.deleteHint')}
                      onConfirm={remove}
                      okButtonProps={{ danger: true }}
                    >
                      <Button danger icon={<DeleteOutlined />}>
                        {t('common.delete')}
                      </Button>
                    </Popconfirm>
                  )}
                  <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => editForm.submit()}>
                    {t('common.save')}
                  </Button>
                </Space>
              )
            }
          >
            {!role ? (
              loading ? (
                <Skeleton active />
              ) : (
                <Empty description={t('roles.pick')} />
              )
            ) : (
              <Form<RoleForm> form={editForm} layout="vertical" onFinish={(v) => void save(v)}>
                {role.builtin && <Alert type="info" showIcon title={t('roles.builtinNote')} style={{ marginBottom: 16 }} />}
                <Row gutter={24}>
                  <Col xs={24} md={16}>
                    <Form.Item name="description" label={t('roles.description')}>
                      <Input.TextArea
                        autoSize={{ minRows: 1, maxRows: 3 }}
                        disabled={role.builtin}
                        placeholder={role.builtin ? t(`roles.builtinDesc.${role.name}`, { defaultValue: '' }) : t('roles.descriptionPlaceholder')}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name="require_2fa" label={t('roles.require2fa')} valuePropName="checked" extra={t('roles.require2faHelp')}>
                      <Switch data-testid="role-require-2fa" />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item name="permissions" label={t('roles.permissions')} style={{ marginBottom: 0 }}>
                  <PermissionPicker all={allPerms} disabled={role.builtin} />
                </Form.Item>
              </Form>
            )}
          </Card>
        </Col>
      </Row>

      <Modal
        title={t('roles.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => createForm.submit()}
        okText={t('common.create')}
        confirmLoading={saving}
        width={820}
        destroyOnHidden
      >
        <Form<RoleForm>
          form={createForm}
          layout="vertical"
          onFinish={(v) => void create(v)}
          initialValues={{ permissions: [], require_2fa: false }}
          preserve={false}
          style={{ marginTop: 16 }}
        >
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name="name"
                label={t('roles.name')}
                extra={t('roles.nameHelp')}
                rules={[
                  { required: true, message: t('validation.required') },
                  { max: 40, message: t('validation.maxLength', { n: 40 }) },
                  { pattern: /^[a-z][a-z0-9_-]{1,39}$/, message: t('roles.namePattern') },
                ]}
              >
                <Input placeholder="vip_support" className="kf-mono" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="require_2fa" label={t('roles.require2fa')} valuePropName="checked" extra={t('roles.require2faHelp')}>
                <Switch />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="description" label={t('roles.description')}>
            <Input placeholder={t('roles.descriptionPlaceholder')} />
          </Form.Item>
          <Form.Item
            name="permissions"
            label={t('roles.permissions')}
            rules={[{ type: 'array', min: 1, message: t('roles.pickOne') }]}
          >
            <PermissionPicker all={allPerms} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
