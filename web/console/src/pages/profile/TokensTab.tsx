import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ApiToken } from '../../api/types';
import CreateButton from '../../components/CreateButton';
import RevokeCell from '../../components/RevokeCell';
import TabToolbar from '../../components/TabToolbar';
import { useApiError } from '../../lib/errors';
import { fmtTime } from '../../lib/format';
import { useApiList } from '../../lib/useApiList';
import { useRemove } from '../../lib/useRemove';

export default function TokensTab() {
  const { t } = useTranslation();
  const showError = useApiError();
  const { items, loading, reload: load } = useApiList<ApiToken>('/me/tokens', showError);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [newToken, setNewToken] = useState<string | null>(null);
  const [form] = Form.useForm<{ name: string }>();
  const del = useRemove();

  const create = async (v: { name: string }) => {
    setSaving(true);
    try {
      const res = await api.post<{ token: string; api_token: ApiToken }>('/me/tokens', { name: v.name.trim() });
      setCreating(false);
      form.resetFields();
      setNewToken(res.token);
      void load();
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  const revoke = (id: string) => del(`/me/tokens/${encodeURIComponent(id)}`, t('tokens.revoked'), load);

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    {
      title: t('tokens.prefix'),
      dataIndex: 'prefix',
      width: 180,
      render: (v: string) => <Typography.Text code>{v}…</Typography.Text>,
    },
    { title: t('tokens.createdAt'), dataIndex: 'created_at', width: 190, render: (v: string) => fmtTime(v) },
    { title: t('tokens.lastUsed'), dataIndex: 'last_used_at', width: 190, render: (v?: string) => fmtTime(v) },
    {
      title: t('common.status'),
      key: 'status',
      width: 110,
      render: (_, tk) =>
        tk.revoked_at ? <Tag>{t('tokens.statusRevoked')}</Tag> : <Tag color="green">{t('tokens.statusActive')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, tk) => (
        <RevokeCell canRevoke={!tk.revoked_at} confirm={t('tokens.revokeConfirm')} onConfirm={() => revoke(tk.id)}>
          {t('tokens.revoke')}
        </RevokeCell>
      ),
    },
  ];

  return (
    <>
      <TabToolbar intro={t('tokens.intro')}>
        <CreateButton onClick={() => setCreating(true)}>{t('tokens.create')}</CreateButton>
      </TabToolbar>
      <Table<ApiToken> rowKey="id" columns={columns} dataSource={items} loading={loading} pagination={false} />

      <Modal
        title={t('tokens.create')}
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.create')}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void create(v)} preserve={false}>
          <Form.Item
            name="name"
            label={t('tokens.name')}
            extra={t('tokens.nameHelp')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 80 }]}
          >
            <Input placeholder={t('tokens.namePlaceholder')} autoFocus />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title={t('tokens.createdTitle')}
        open={!!newToken}
        onCancel={() => setNewToken(null)}
        footer={
          <Button type="primary" onClick={() => setNewToken(null)}>
            {t('common.done')}
          </Button>
        }
        mask={{ closable: false }}
      >
        <Alert type="warning" showIcon title={t('tokens.showOnce')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph
          copyable={{ text: newToken ?? '', tooltips: [t('common.copy'), t('common.copied')] }}
          className="kf-mono"
          style={{ background: '#fafafa', padding: '10px 12px', borderRadius: 6, wordBreak: 'break-all' }}
          data-testid="new-token"
        >
          {newToken}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
