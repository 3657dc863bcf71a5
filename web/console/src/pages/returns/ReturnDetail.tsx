import { useEffect, useState } from 'react';
import { App, Button, Card, Col, Descriptions, Form, Input, Modal, Radio, Row, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Order, Return, ReturnEvent, Settings } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import LoadError from '../../components/LoadError';
import PageHeader from '../../components/PageHeader';
import { fmtMoney, fmtTime } from '../../lib/format';
import {
  allowedActions,
  countdown,
  deadlineLabel,
  returnActionLabel,
  returnKindLabel,
  returnReasonLabel,
  ReturnStateTag,
  returnStateLabel,
} from '../../lib/returns';
import type { ReturnAction } from '../../lib/returns';
import { useApiGet } from '../../lib/useApiGet';
import { useFormSave } from '../../lib/useFormSave';
import { useNow } from '../../lib/useNow';
import { Breakdown } from './ReturnForm';

/** What each action asks for besides an optional note. */
const ACTION_FIELDS: Partial<Record<ReturnAction, ('reject_reason' | 'return_address' | 'parcel' | 'inspection')[]>> = {
  reject: ['reject_reason'],
  send_address: ['return_address'],
  ship_back: ['parcel'],
  inspect: ['inspection'],
  exchange: ['parcel'],
  reship: ['parcel'],
  repair: ['parcel'],
};
/** Actions an agent who replies to customers may take without returns.manage. */
const AGENT_ACTIONS: ReturnAction[] = ['ship_back', 'cancel'];
const DANGER: ReturnAction[] = ['reject', 'cancel'];

interface ActValues {
  note?: string;
  reject_reason?: string;
  return_address?: string;
  carrier?: string;
  tracking_no?: string;
  inspection_passed?: boolean;
  inspection_notes?: string;
}

function str(d: Record<string, unknown> | null, k: string): string {
  const v = d?.[k];
  return typeof v === 'string' ? v : '';
}

/** One line of a return's timeline. */
export function returnEventText(t: TFunction, e: ReturnEvent): string {
  const d = e.data;
  const actor = e.actor_name || (['customer', 'agent', 'system'].includes(e.actor_type) ? t(`returns.actor.${e.actor_type}`) : e.actor_type);
  if (e.type === 'state') {
    const action = str(d, 'action');
    if (action === 'request' || !str(d, 'from')) return t('returns.ev.requested', { actor, to: returnStateLabel(t, str(d, 'to')) });
    return t('returns.ev.state', {
      actor,
      action: action ? returnActionLabel(t, action) : '—',
      to: returnStateLabel(t, str(d, 'to')),
    });
  }
  if (e.type === 'deadline_warning' || e.type === 'deadline_missed' || e.type === 'penalty_risk') {
    const due = str(d, 'due');
    return t(`returns.ev.${e.type}`, { step: deadlineLabel(t, str(d, 'deadline')), due: due ? fmtTime(due) : '—' });
  }
  return e.type;
}

/** One return: what was asked, the refund, the legal deadlines, what happened, and what can be done next. */
export default function ReturnDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { has } = useAuth();
  const { message } = App.useApp();
  const now = useNow();
  const got = useApiGet<{ return: Return; events: ReturnEvent[] | null }>(`/returns/${encodeURIComponent(id)}`);
  const r = got.data?.return;
  const order = useApiGet<Order>(`/orders/${encodeURIComponent(r?.order_id ?? '')}`, !!r?.order_id);
  const [acting, setActing] = useState<ReturnAction | null>(null);
  const [shopAddress, setShopAddress] = useState('');
  const [form] = Form.useForm<ActValues>();
  const { saving, submit } = useFormSave(form);
  const canSettings = has('settings.manage');

  // The shop's return address, to prefill the approval (only for those who may read settings).
  useEffect(() => {
    if (!canSettings) return;
    api
      .get<Settings>('/settings')
      .then((s) => setShopAddress(s.shop_return_address ?? ''))
      .catch(() => {});
  }, [canSettings]);

  if (got.error) {
    return <LoadError error={got.error} notFound={t('returns.notFound')} backLabel={t('returns.backToBoard')} onBack={() => navigate('/returns')} />;
  }
  if (!r) return <Skeleton active paragraph={{ rows: 10 }} />;

  const canManage = has('returns.manage');
  const canAgent = has('orders.view') && has('conversations.reply');
  const actions = allowedActions(r.kind, r.state).filter((a) => canManage || (canAgent && AGENT_ACTIONS.includes(a)));
  const items = order.data?.items ?? [];
  const fields = acting ? (ACTION_FIELDS[acting] ?? []) : [];

  const open = (a: ReturnAction) => {
    form.resetFields();
    form.setFieldsValue({ return_address: shopAddress, inspection_passed: true });
    setActing(a);
  };

  const act = async () => {
    if (!acting) return;
    await submit(
      async (v) => {
        await api.post<Return>(`/returns/${encodeURIComponent(r.id)}/actions`, { action: acting, ...v });
        message.success(t('returns.acted', { action: returnActionLabel(t, acting) }));
        setActing(null);
        void got.reload();
      },
      (err) => {
        // A move the machine no longer allows (someone else acted first): show the return as it is now.
        if (err instanceof ApiError && err.status === 409) void got.reload();
      },
    );
  };

  const deadlines: [string, string | null | undefined][] = [
    ['address_due', r.deadlines?.address_due],
    ['address_penalty', r.deadlines?.address_penalty],
    ['refund_due', r.deadlines?.refund_due],
    ['refund_penalty', r.deadlines?.refund_penalty],
  ];
  const open_deadlines = deadlines.filter(([, v]) => !!v) as [string, string][];
  const events = [...(got.data?.events ?? [])].sort((a, b) => a.created_at.localeCompare(b.created_at));

  return (
    <div data-testid="return-detail">
      <PageHeader
        title={
          <Space>
            <Link to="/returns" aria-label={t('returns.backToBoard')}>
              <ArrowLeftOutlined />
            </Link>
            {t('returns.detail.title', { no: r.shop_order_id })}
            <ReturnStateTag t={t} state={r.state} />
            {r.penalty_risk && <Tag color="red">{t('returns.penaltyRisk')}</Tag>}
          </Space>
        }
        sub={`${returnKindLabel(t, r.kind)} · ${returnReasonLabel(t, r.reason)} · ${t('returns.requestedAt', { at: fmtTime(r.requested_at) })}`}
        extra={actions.map((a) => (
          <Button key={a} type={a === actions[0] && !DANGER.includes(a) ? 'primary' : 'default'} danger={DANGER.includes(a)} onClick={() => open(a)} data-testid={`return-action-${a}`}>
            {returnActionLabel(t, a)}
          </Button>
        ))}
      />
      <Row gutter={16}>
        <Col xs={24} lg={15}>
          <Card title={t('returns.detail.summary')} size="small" style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('returns.orderNo')}>
                <span className="kf-mono">{r.shop_order_id}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('returns.conversation')}>
                {r.conversation_id ? <Link to={`/inbox/${encodeURIComponent(r.conversation_id)}`}>{t('returns.openConversation')}</Link> : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('returns.kindLabel')}>{returnKindLabel(t, r.kind)}</Descriptions.Item>
              <Descriptions.Item label={t('returns.reasonLabel')}>{returnReasonLabel(t, r.reason)}</Descriptions.Item>
              <Descriptions.Item label={t('returns.pathLabel')}>{t(`returns.path.${r.path === 'quality' ? 'quality' : 'no_reason'}`)}</Descriptions.Item>
              <Descriptions.Item label={t('returns.giftsReturned')}>{r.gifts_returned ? t('returns.yes') : t('returns.no')}</Descriptions.Item>
              <Descriptions.Item label={t('returns.descriptionLabel')} span={2}>
                {r.description || '—'}
              </Descriptions.Item>
              {r.reject_reason && (
                <Descriptions.Item label={t('returns.f.reject_reason')} span={2}>
                  {r.reject_reason}
                </Descriptions.Item>
              )}
              {r.return_address && (
                <Descriptions.Item label={t('returns.f.return_address')} span={2}>
                  {r.return_address}
                </Descriptions.Item>
              )}
              {(r.carrier || r.tracking_no) && (
                <Descriptions.Item label={t('returns.detail.parcelBack')} span={2}>
                  {r.carrier} <span className="kf-mono">{r.tracking_no}</span>
                </Descriptions.Item>
              )}
              {r.inspection_passed !== undefined && r.inspection_passed !== null && (
                <Descriptions.Item label={t('returns.f.inspection')} span={2}>
                  <Tag color={r.inspection_passed ? 'green' : 'red'}>{r.inspection_passed ? t('returns.f.passed') : t('returns.f.failed')}</Tag>
                  {r.inspection_notes}
                </Descriptions.Item>
              )}
              {r.new_shipment && (
                <Descriptions.Item label={t('returns.detail.newShipment')} span={2}>
                  {r.new_shipment.carrier} <span className="kf-mono">{r.new_shipment.tracking_no}</span>
                </Descriptions.Item>
              )}
              {!!r.refunded && (
                <Descriptions.Item label={t('returns.detail.refunded')}>
                  {fmtMoney(r.refunded)} {r.refunded_at ? `· ${fmtTime(r.refunded_at)}` : ''}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Card title={t('returns.form.lines')} size="small" style={{ marginBottom: 16 }}>
            <Table
              size="small"
              pagination={false}
              rowKey="sku"
              dataSource={r.lines ?? []}
              columns={[
                { title: 'SKU', dataIndex: 'sku', render: (v: string) => <span className="kf-mono">{v}</span> },
                { title: t('returns.detail.item'), key: 'name', render: (_, l) => items.find((i) => i.sku === l.sku)?.name ?? '—' },
                { title: t('returns.detail.price'), key: 'price', render: (_, l) => fmtMoney(items.find((i) => i.sku === l.sku)?.price) },
                { title: t('returns.detail.quantity'), dataIndex: 'quantity' },
              ]}
            />
          </Card>
          <Card title={t('returns.detail.breakdown')} size="small" style={{ marginBottom: 16 }}>
            <Breakdown b={r.breakdown} />
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card title={t('returns.detail.deadlines')} size="small" style={{ marginBottom: 16 }} data-testid="return-deadlines">
            {open_deadlines.length === 0 ? (
              <Typography.Text type="secondary">{t('returns.detail.noDeadlines')}</Typography.Text>
            ) : (
              open_deadlines.map(([k, v]) => {
                const c = countdown(t, v, now);
                return (
                  <div key={k} className="kf-deadline-row">
                    <div className="kf-deadline-label">{t(`returns.dl.${k}`)}</div>
                    <div>
                      {fmtTime(v)}
                      <Typography.Text type={c.past ? 'danger' : 'secondary'} strong={c.past} style={{ marginInlineStart: 8 }}>
                        {c.text}
                      </Typography.Text>
                    </div>
                  </div>
                );
              })
            )}
          </Card>
          <Card title={t('returns.detail.timeline')} size="small" data-testid="return-timeline">
            <Timeline
              items={events.map((e) => ({
                key: e.id,
                color: e.type === 'state' ? 'blue' : e.type === 'deadline_warning' ? 'orange' : 'red',
                content: (
                  <div>
                    <div>{returnEventText(t, e)}</div>
                    {str(e.data, 'note') && <Typography.Text type="secondary">{str(e.data, 'note')}</Typography.Text>}
                    <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{fmtTime(e.created_at)}</div>
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>

      <Modal
        open={!!acting}
        title={acting ? t('returns.actTitle', { action: returnActionLabel(t, acting), no: r.shop_order_id }) : ''}
        onCancel={() => setActing(null)}
        onOk={() => void act()}
        okText={acting ? returnActionLabel(t, acting) : ''}
        okButtonProps={{ loading: saving, danger: !!acting && DANGER.includes(acting) }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="return-act-form">
          {fields.includes('reject_reason') && (
            <Form.Item name="reject_reason" label={t('returns.f.reject_reason')} rules={[{ required: true, whitespace: true, message: t('returns.f.required') }]}>
              <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
            </Form.Item>
          )}
          {fields.includes('return_address') && (
            <Form.Item name="return_address" label={t('returns.f.return_address')} extra={shopAddress ? t('returns.f.addressFromSettings') : t('returns.f.addressDefault')}>
              <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
            </Form.Item>
          )}
          {fields.includes('parcel') && (
            <div style={{ display: 'flex', gap: 8 }}>
              <Form.Item name="carrier" label={t('returns.f.carrier')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('returns.f.required') }]}>
                <Input maxLength={60} />
              </Form.Item>
              <Form.Item name="tracking_no" label={t('returns.f.tracking_no')} style={{ flex: 2 }} rules={[{ required: true, whitespace: true, message: t('returns.f.required') }]}>
                <Input maxLength={60} className="kf-mono" />
              </Form.Item>
            </div>
          )}
          {fields.includes('inspection') && (
            <>
              <Form.Item name="inspection_passed" label={t('returns.f.inspection')} rules={[{ required: true }]}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: true, label: t('returns.f.passed') },
                    { value: false, label: t('returns.f.failed') },
                  ]}
                />
              </Form.Item>
              <Form.Item name="inspection_notes" label={t('returns.f.inspection_notes')}>
                <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
              </Form.Item>
            </>
          )}
          <Form.Item name="note" label={t('returns.f.note')}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
