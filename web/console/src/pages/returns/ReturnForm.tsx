import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Descriptions, Form, Input, InputNumber, Modal, Select, Spin, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { TFunction } from 'i18next';
import type { Order, Return, ReturnCreateInput, ReturnPreview, ReturnRefusal } from '../../api/types';
import { errorText } from '../../lib/errors';
import { fmtMoney, fmtTime } from '../../lib/format';
import { paidByLabel, paymentMethodLabel, RETURN_KINDS, RETURN_REASONS, returnKindLabel, returnReasonLabel } from '../../lib/returns';
import { useFormSave } from '../../lib/useFormSave';

interface Values {
  kind: string;
  reason: string;
  description?: string;
  gifts_returned?: boolean;
  qty: Record<string, number | null>;
}

interface Props {
  order: Order | null;
  conversationId: string;
  onClose: () => void;
  onCreated: (r: Return) => void;
}

const PREVIEW_DELAY_MS = 300;

function toInput(order: Order, conversationId: string, v: Partial<Values>): ReturnCreateInput {
  return {
    order_id: order.id,
    conversation_id: conversationId,
    kind: v.kind ?? '',
    reason: v.reason ?? '',
    description: v.description ?? '',
    gifts_returned: !!v.gifts_returned,
    lines: (order.items ?? []).map((i) => ({ sku: i.sku, quantity: v.qty?.[i.sku] ?? 0 })).filter((l) => l.quantity > 0),
  };
}

/** Starts an after-sales request on an order: the law's answer and the refund are previewed as the agent edits. */
export default function ReturnForm({ order, conversationId, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { saving, submit: save } = useFormSave(form);
  const [preview, setPreview] = useState<ReturnPreview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [previewing, setPreviewing] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const reqId = useRef(0);
  const values = Form.useWatch([], form) as Partial<Values> | undefined;

  const initial = useMemo<Values>(
    () => ({
      kind: 'return_refund',
      reason: 'no_reason',
      description: '',
      gifts_returned: true,
      qty: Object.fromEntries((order?.items ?? []).map((i) => [i.sku, i.quantity])),
    }),
    [order],
  );

  useEffect(() => {
    if (!order) return;
    form.setFieldsValue(initial);
    setPreview(null);
    setPreviewError(null);
  }, [order, form, initial]);

  // Ask the server what the law says about the request as it stands.
  const key = order && values ? JSON.stringify(toInput(order, conversationId, values)) : '';
  useEffect(() => {
    if (!order || !key) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(async () => {
      const id = ++reqId.current;
      setPreviewing(true);
      try {
        const res = await api.post<ReturnPreview>('/returns/preview', JSON.parse(key));
        if (id === reqId.current) {
          setPreview(res);
          setPreviewError(null);
        }
      } catch (err) {
        if (id === reqId.current) setPreviewError(err);
      } finally {
        if (id === reqId.current) setPreviewing(false);
      }
    }, PREVIEW_DELAY_MS);
    return () => window.clearTimeout(timer.current);
  }, [key, order]);

  const submit = async () => {
    if (!order) return;
    await save(async (v) => {
      const r = await api.post<Return>('/returns', toInput(order, conversationId, v));
      onCreated(r);
    });
  };

  const d = preview?.decision;
  const b = preview?.breakdown;
  const sku = (s?: string) => (order?.items ?? []).find((i) => i.sku === s)?.name ?? s;

  return (
    <Modal
      open={!!order}
      title={t('returns.form.title', { no: order?.shop_order_id ?? '' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('returns.form.submit')}
      okButtonProps={{ loading: saving, disabled: !!d && !d.allowed, 'data-testid': 'return-submit' } as never}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} data-testid="return-form">
        <div style={{ display: 'flex', gap: 12 }}>
          <Form.Item name="kind" label={t('returns.kindLabel')} style={{ flex: 1 }} rules={[{ required: true }]}>
            <Select options={RETURN_KINDS.map((k) => ({ value: k, label: returnKindLabel(t, k) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('returns.reasonLabel')} style={{ flex: 1 }} rules={[{ required: true }]}>
            <Select options={RETURN_REASONS.map((r) => ({ value: r, label: returnReasonLabel(t, r) }))} />
          </Form.Item>
        </div>
        <Form.Item label={t('returns.form.lines')} required style={{ marginBottom: 8 }}>
          {(order?.items ?? []).map((i) => (
            <div key={i.sku} className="kf-return-line">
              <span className="kf-return-line-name">
                {i.name}
                <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
                  {i.sku} · {fmtMoney(i.price)} × {i.quantity}
                </Typography.Text>
              </span>
              <Form.Item name={['qty', i.sku]} noStyle>
                <InputNumber min={0} max={i.quantity} precision={0} size="small" style={{ width: 88 }} />
              </Form.Item>
            </div>
          ))}
        </Form.Item>
        <Form.Item name="description" label={t('returns.descriptionLabel')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} placeholder={t('returns.form.descriptionPh')} />
        </Form.Item>
        {(order?.gifts ?? []).length > 0 && (
          <Form.Item
            name="gifts_returned"
            label={t('returns.giftsReturned')}
            valuePropName="checked"
            extra={(order?.gifts ?? []).map((g) => `${g.name} ${fmtMoney(g.value)}`).join(t('common.listSep'))}
          >
            <Switch />
          </Form.Item>
        )}
      </Form>
      <Spin spinning={previewing} size="small">
        {previewError ? (
          <Alert type="warning" showIcon title={errorText(previewError, t)} />
        ) : d && b ? (
          <div data-testid="return-preview">
            <Alert
              type={d.allowed ? 'success' : 'error'}
              showIcon
              title={d.allowed ? t('returns.form.allowed', { path: t(`returns.path.${d.path === 'quality' ? 'quality' : 'no_reason'}`) }) : t('returns.form.refused')}
              description={
                <>
                  {d.window_ends && <div>{t('returns.form.windowEnds', { at: fmtTime(d.window_ends) })}</div>}
                  {(d.refusals ?? []).map((r, i) => (
                    <div key={i} data-testid="return-refusal">
                      {refusalText(t, r, sku(r.sku) ?? '')}
                      {r.article && (
                        <Typography.Text type="secondary" style={{ marginInlineStart: 6 }}>
                          ({r.article})
                        </Typography.Text>
                      )}
                    </div>
                  ))}
                </>
              }
              style={{ marginBottom: 12 }}
            />
            <Breakdown b={b} />
          </div>
        ) : null}
      </Spin>
    </Modal>
  );
}

const REFUSAL_CODES = [
  'not_signed',
  'window_closed',
  'quality_window_closed',
  'custom_made',
  'perishable',
  'digital_unsealed',
  'periodical',
  'confirmed_no_returns',
  'kind_needs_fault',
  'unknown_sku',
  'quantity',
  'no_lines',
];

/** Why the law refuses a return, in the console's language; the server's text for grounds it does not know. */
function refusalText(t: TFunction, r: ReturnRefusal, item: string): string {
  if (!REFUSAL_CODES.includes(r.code)) return (item ? `${item}: ` : '') + r.message;
  return t(`returns.refusal.${r.code}`, { item: item || '—' });
}

/** The refund worked out line by line. */
export function Breakdown({ b }: { b: ReturnPreview['breakdown'] }) {
  const { t } = useTranslation();
  const minus = (v: number) => (v ? `-${fmtMoney(v)}` : fmtMoney(0));
  return (
    <Descriptions size="small" column={1} bordered className="kf-breakdown" data-testid="return-breakdown">
      <Descriptions.Item label={t('returns.bd.items')}>{fmtMoney(b.items)}</Descriptions.Item>
      <Descriptions.Item label={t('returns.bd.couponShare')}>{minus(b.coupon_share)}</Descriptions.Item>
      <Descriptions.Item label={t('returns.bd.brokenFreeShipping')}>{minus(b.broken_free_shipping)}</Descriptions.Item>
      <Descriptions.Item label={t('returns.bd.giftsNotReturned')}>{minus(b.gifts_not_returned)}</Descriptions.Item>
      <Descriptions.Item label={t('returns.bd.freightPaidBy')}>{b.return_freight_paid_by ? paidByLabel(t, b.return_freight_paid_by) : '—'}</Descriptions.Item>
      <Descriptions.Item label={t('returns.bd.refund')}>
        <Typography.Text strong>{fmtMoney(b.refund)}</Typography.Text>
        {b.method && (
          <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
            {t('returns.bd.method', { method: paymentMethodLabel(t, b.method) })}
          </Typography.Text>
        )}
      </Descriptions.Item>
    </Descriptions>
  );
}
