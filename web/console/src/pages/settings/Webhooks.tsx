import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Checkbox, Drawer, Empty, Form, Input, Modal, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { HistoryOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ListResponse, Webhook, WebhookDelivery } from '../../api/types';
import CodeBlock from '../../components/CodeBlock';
import { EditModal, IntroBar, ListHeader, ListTable, RowActions } from '../../components/ListPage';
import { useApiError } from '../../lib/errors';
import { fmtTime, fromNow } from '../../lib/format';
import { useApiList } from '../../lib/useApiList';
import { useFormSave } from '../../lib/useFormSave';
import { useRemove } from '../../lib/useRemove';

export const WEBHOOK_EVENTS = ['message.created', 'conversation.created', 'conversation.updated', 'conversation.resolved'];
const eventKey = (e: string) => e.replace('.', '_');

interface HookForm {
  url: string;
  events: string[];
  active: boolean;
}

const DELIVERY_COLOR: Record<string, string> = { pending: 'processing', delivered: 'success', failed: 'error' };

const NODE_VERIFY = `// Express: verify before trusting the body.
const crypto = require('node:crypto');

app.post('/kefu-webhook', express.raw({ type: 'application/json' }), (req, res) => {
  const expected = 'sha256=' + crypto
    .createHmac('sha256', process.env.KEFU_WEBHOOK_SECRET)
    .update(req.body) // the raw bytes, not re-serialised JSON
    .digest('hex');
  const got = req.get('X-Kefu-Signature') || '';
  const ok = got.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(got), Buffer.from(expected));
  if (!ok) return res.sendStatus(401);
  const event = JSON.parse(req.body);
  // X-Kefu-Event names the event, X-Kefu-Delivery is unique per delivery.
  res.sendStatus(204);
});`;

const GO_VERIFY = `func kefuWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	m := hmac.New(sha256.New, []byte(os.Getenv("KEFU_WEBHOOK_SECRET")))
	m.Write(body)
	expected := "sha256=" + hex.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(r.Header.Get("X-Kefu-Signature")), []byte(expected)) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	// X-Kefu-Event names the event, X-Kefu-Delivery is unique per delivery.
	w.WriteHeader(http.StatusNoContent)
}`;

function VerifyExamples() {
  return (
    <Tabs
      size="small"
      items={[
        { key: 'node', label: 'Node.js', children: <CodeBlock code={NODE_VERIFY} maxHeight={300} /> },
        { key: 'go', label: 'Go', children: <CodeBlock code={GO_VERIFY} maxHeight={300} /> },
      ]}
    />
  );
}

function prettyJSON(s: string): string {
  try {
    return JSON.stringify(JSON.parse(s), null, 2);
  } catch {
    return s;
  }
}

function DeliveriesDrawer({ hook, onClose }: { hook: Webhook | null; onClose: () => void }) {
  const { t } = useTranslation();
  const showError = useApiError();
  const [items, setItems] = useState<WebhookDelivery[]>([]);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    if (!hook) return;
    setLoading(true);
    try {
      const res = await api.get<ListResponse<WebhookDelivery>>(`/webhooks/${encodeURIComponent(hook.id)}/deliveries`);
      setItems(res.items ?? []);
    } catch (err) {
      showError(err);
    } finally {
      setLoading(false);
    }
  }, [hook, showError]);

  useEffect(() => {
    setItems([]);
    void load();
  }, [load]);

  const columns: TableColumnsType<WebhookDelivery> = [
    { title: t('webhooks.d.time'), dataIndex: 'created_at', width: 160, render: (v: string) => fmtTime(v) },
    {
      title: t('webhooks.d.event'),
      dataIndex: 'event',
      width: 190,
      render: (v: string) => (
        <span className="kf-mono" style={{ fontSize: 12 }}>
          {v}
        </span>
      ),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 96,
      render: (v: string) => (
        <Tag color={DELIVERY_COLOR[v] ?? 'default'} data-testid="delivery-status">
          {['pending', 'delivered', 'failed'].includes(v) ? t(`webhooks.d.status.${v}`) : v}
        </Tag>
      ),
    },
    { title: t('webhooks.d.attempts'), dataIndex: 'attempts', width: 86, align: 'right' },
    {
      title: t('webhooks.d.code'),
      dataIndex: 'last_status_code',
      width: 90,
      render: (v: number) =>
        v ? <span className={`kf-mono ${v >= 200 && v < 300 ? 'kf-ok' : 'kf-bad'}`}>{v}</span> : <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('webhooks.d.error'),
      dataIndex: 'last_error',
      ellipsis: { showTitle: false },
      render: (v: string) =>
        v ? (
          <Tooltip title={v}>
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {v}
            </Typography.Text>
          </Tooltip>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('webhooks.d.next'),
      key: 'next',
      width: 150,
      render: (_, d) =>
        d.status === 'pending' && d.next_attempt_at ? (
          <Tooltip title={fmtTime(d.next_attempt_at)}>{fromNow(d.next_attempt_at)}</Tooltip>
        ) : d.delivered_at ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('webhooks.d.deliveredAt', { time: fromNow(d.delivered_at) })}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  return (
    <Drawer
      title={t('webhooks.d.title')}
      open={!!hook}
      onClose={onClose}
      size={1080}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading} data-testid="deliveries-refresh">
          {t('common.refresh')}
        </Button>
      }
    >
      {hook && (
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          <span className="kf-mono">{hook.url}</span>
        </Typography.Paragraph>
      )}
      <Table<WebhookDelivery>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        expandable={{
          expandedRowRender: (d) => <pre className="kf-json kf-mono">{prettyJSON(d.payload)}</pre>,
        }}
        data-testid="deliveries-table"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('webhooks.d.empty')} /> }}
      />
    </Drawer>
  );
}

export default function WebhooksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const { items, setItems, loading, reload } = useApiList<Webhook>('/webhooks', showError);
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [created, setCreated] = useState<Webhook | null>(null);
  const [deliveries, setDeliveries] = useState<Webhook | null>(null);
  const [form] = Form.useForm<HookForm>();
  const { saving, run } = useFormSave(form);
  const del = useRemove();

  const openForm = (h: Webhook | 'new') => {
    setEditing(h);
    form.resetFields();
    form.setFieldsValue(h === 'new' ? { url: '', events: [...WEBHOOK_EVENTS], active: true } : { url: h.url, events: h.events ?? [], active: h.active });
  };

  const save = (v: HookForm) =>
    run(async () => {
      if (editing === 'new') {
        const h = await api.post<Webhook>('/webhooks', { url: v.url.trim(), events: v.events });
        setEditing(null);
        setCreated(h);
        void reload();
      } else if (editing) {
        const h = await api.patch<Webhook>(`/webhooks/${encodeURIComponent(editing.id)}`, { url: v.url.trim(), events: v.events, active: v.active });
        setItems((prev) => prev.map((x) => (x.id === editing.id ? { ...x, ...(h ?? v) } : x)));
        message.success(t('common.saved'));
        setEditing(null);
      }
    });

  const toggle = async (h: Webhook, active: boolean) => {
    try {
      await api.patch(`/webhooks/${encodeURIComponent(h.id)}`, { active });
      setItems((prev) => prev.map((x) => (x.id === h.id ? { ...x, active } : x)));
    } catch (err) {
      showError(err);
    }
  };

  const remove = (h: Webhook) =>
    del(`/webhooks/${encodeURIComponent(h.id)}`, t('webhooks.deleted'), () => setItems((prev) => prev.filter((x) => x.id !== h.id)));

  const columns: TableColumnsType<Webhook> = [
    {
      title: t('webhooks.url'),
      dataIndex: 'url',
      ellipsis: true,
      render: (v: string) => (
        <Tooltip title={v}>
          <Typography.Text className="kf-mono" style={{ fontSize: 13 }}>
            {v}
          </Typography.Text>
        </Tooltip>
      ),
    },
    {
      title: t('webhooks.events'),
      dataIndex: 'events',
      width: 290,
      render: (evs: string[] | null) => (
        <Space size={[4, 4]} wrap>
          {(evs ?? []).map((e) => (
            <Tooltip key={e} title={<span className="kf-mono">{e}</span>}>
              <Tag bordered={false} color="geekblue" style={{ marginInlineEnd: 0 }}>
                {WEBHOOK_EVENTS.includes(e) ? t(`webhooks.ev.${eventKey(e)}`) : e}
              </Tag>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    {
      title: t('webhooks.active'),
      dataIndex: 'active',
      width: 90,
      render: (v: boolean, h) => <Switch size="small" checked={v} onChange={(on) => void toggle(h, on)} data-testid="webhook-active" />,
    },
    { title: t('webhooks.createdAt'), dataIndex: 'created_at', width: 170, render: (v: string) => fmtTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 210,
      render: (_, h) => (
        <RowActions
          before={
            <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setDeliveries(h)} data-testid="webhook-deliveries">
              {t('webhooks.deliveries')}
            </Button>
          }
          onEdit={() => openForm(h)}
          editTestId="webhook-edit"
          confirm={t('webhooks.deleteConfirm')}
          description={t('webhooks.deleteHint')}
          onDelete={() => remove(h)}
          deleteTestId="webhook-delete"
        />
      ),
    },
  ];

  return (
    <>
      <ListHeader
        title={t('webhooks.title')}
        sub={t('webhooks.sub')}
        create={{ label: t('webhooks.create'), testId: 'webhooks-create', onClick: () => openForm('new') }}
      />
      <ListTable<Webhook>
        testId="webhooks-table"
        columns={columns}
        items={items}
        loading={loading}
        scrollX={1000}
        empty={t('webhooks.empty')}
        emptyCreate={{ label: t('webhooks.create'), onClick: () => openForm('new') }}
        intro={<IntroBar text={t('webhooks.intro')} onRefresh={reload} />}
      />

      <EditModal
        open={!!editing}
        isNew={editing === 'new'}
        createTitle={t('webhooks.create')}
        editTitle={t('webhooks.editTitle')}
        onClose={() => setEditing(null)}
        onSave={() => form.submit()}
        saving={saving}
        saveTestId="webhook-form-submit"
        size={600}
      >
        <Form<HookForm> form={form} layout="vertical" onFinish={(v) => void save(v)} style={{ marginTop: 16 }}>
          <Form.Item
            name="url"
            label={t('webhooks.url')}
            extra={t('webhooks.urlHelp')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { type: 'url', message: t('webhooks.urlInvalid') },
              { pattern: /^https?:\/\//i, message: t('webhooks.urlInvalid') },
            ]}
          >
            <Input placeholder="https://shop.example.com/kefu-webhook" className="kf-mono" data-testid="webhook-form-url" />
          </Form.Item>
          <Form.Item name="events" label={t('webhooks.events')} rules={[{ required: true, type: 'array', min: 1, message: t('webhooks.pickEvent') }]}>
            <Checkbox.Group style={{ width: '100%' }}>
              <div className="kf-event-grid">
                {WEBHOOK_EVENTS.map((e) => (
                  <Checkbox key={e} value={e} data-testid={`webhook-event-${e}`}>
                    <div>
                      <span style={{ fontWeight: 500 }}>{t(`webhooks.ev.${eventKey(e)}`)}</span> <span className="kf-mono kf-event-code">{e}</span>
                    </div>
                    <div className="kf-perm-desc" style={{ paddingLeft: 0 }}>
                      {t(`webhooks.evDesc.${eventKey(e)}`)}
                    </div>
                  </Checkbox>
                ))}
              </div>
            </Checkbox.Group>
          </Form.Item>
          {editing !== 'new' && (
            <Form.Item name="active" label={t('webhooks.active')} valuePropName="checked" extra={t('webhooks.activeHelp')}>
              <Switch />
            </Form.Item>
          )}
        </Form>
      </EditModal>

      <Modal
        title={t('webhooks.createdTitle')}
        open={!!created}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('common.done')}
          </Button>
        }
        mask={{ closable: false }}
        width={720}
      >
        <Alert type="warning" showIcon title={t('webhooks.showOnce')} style={{ margin: '12px 0 16px' }} />
        <div className="kf-install-label">{t('webhooks.secret')}</div>
        <Typography.Paragraph
          copyable={{ text: created?.secret ?? '', tooltips: [t('common.copy'), t('common.copied')] }}
          className="kf-mono kf-secret-box"
          data-testid="webhook-secret"
        >
          {created?.secret || t('webhooks.noSecret')}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('webhooks.verifyIntro')}
        </Typography.Paragraph>
        <div className="kf-formula kf-mono">X-Kefu-Signature: sha256=hex(HMAC-SHA256(secret, raw_body))</div>
        <VerifyExamples />
      </Modal>

      <DeliveriesDrawer hook={deliveries} onClose={() => setDeliveries(null)} />
    </>
  );
}
