import { useEffect, useMemo, useRef, useState } from 'react';
import { App, Button, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { CarOutlined, EnterOutlined, LinkOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Conversation, ListResponse, Order, Return } from '../../api/types';
import { useApiError } from '../../lib/errors';
import { fmtDate, fmtMoney, fmtTime } from '../../lib/format';
import {
  latestEvent,
  ORDER_STATUS_COLOR,
  orderStatusLabel,
  orderSummary,
  returnKindLabel,
  ReturnStateTag,
  shipmentStatusLabel,
} from '../../lib/returns';
import { useApiList } from '../../lib/useApiList';
import ReturnForm from '../returns/ReturnForm';
import { Section } from './SidePanelParts';

const quiet = () => {};

interface Props {
  conv: Conversation;
  /** Changes when the timeline records a return or an attached order: reload. */
  tick: number;
  canReply: boolean;
  onInsert: (text: string) => void;
}

/** The customer's orders beside the conversation, with its returns: attach, quote into the reply, start a return. */
export default function OrdersPanel({ conv, tick, canReply, onInsert }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const orders = useApiList<Order>(`/contacts/${encodeURIComponent(conv.contact_id)}/orders`, quiet);
  const attached = useApiList<Order>(`/conversations/${encodeURIComponent(conv.id)}/orders`, quiet);
  const returns = useApiList<Return>(`/returns?conversation_id=${encodeURIComponent(conv.id)}`, quiet);
  const [busy, setBusy] = useState('');
  const [returning, setReturning] = useState<Order | null>(null);
  const seenTick = useRef(tick);
  const reloadAttached = attached.reload;
  const reloadReturns = returns.reload;
  useEffect(() => {
    if (seenTick.current === tick) return;
    seenTick.current = tick;
    void reloadAttached();
    void reloadReturns();
  }, [tick, reloadAttached, reloadReturns]);
  const attachedIds = useMemo(() => new Set(attached.items.map((o) => o.id)), [attached.items]);

  const attach = async (o: Order) => {
    setBusy(o.id);
    try {
      const res = await api.post<ListResponse<Order>>(`/conversations/${encodeURIComponent(conv.id)}/orders`, { order_id: o.id });
      attached.setItems(res.items ?? []);
      message.success(t('orders.attached'));
    } catch (err) {
      showError(err);
    } finally {
      setBusy('');
    }
  };

  const refresh = () => {
    void orders.reload();
    void attached.reload();
    void returns.reload();
  };

  return (
    <>
      <Section
        title={t('orders.title', { n: orders.items.length })}
        testid="orders-panel"
        extra={
          <Tooltip title={t('common.refresh')}>
            <Button type="text" size="small" icon={<ReloadOutlined spin={orders.loading} />} onClick={refresh} aria-label={t('common.refresh')} />
          </Tooltip>
        }
      >
        {orders.loading && orders.items.length === 0 ? (
          <Skeleton active title={false} paragraph={{ rows: 3 }} />
        ) : orders.items.length === 0 ? (
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('orders.none')}
          </Typography.Text>
        ) : (
          orders.items.map((o) => (
            <div key={o.id} className={`kf-order${attachedIds.has(o.id) ? ' attached' : ''}`} data-testid="order-card">
              <div className="kf-order-head">
                <span className="kf-mono kf-order-no">{o.shop_order_id}</span>
                <Tag color={ORDER_STATUS_COLOR[o.status] ?? 'default'} bordered={false}>
                  {orderStatusLabel(t, o.status)}
                </Tag>
                {attachedIds.has(o.id) && (
                  <Tag color="blue" icon={<LinkOutlined />} data-testid="order-attached">
                    {t('orders.attachedTag')}
                  </Tag>
                )}
              </div>
              <div className="kf-order-meta">
                <Tooltip title={fmtTime(o.placed_at)}>{t('orders.placed', { at: fmtDate(o.placed_at) })}</Tooltip>
                <span className="kf-order-total">{fmtMoney(o.total)}</span>
              </div>
              <ul className="kf-order-items">
                {(o.items ?? []).map((i) => (
                  <li key={i.sku}>
                    <span className="kf-order-item-name">{i.name}</span>
                    <span className="kf-order-item-qty">
                      ×{i.quantity} · {fmtMoney(i.price)}
                    </span>
                  </li>
                ))}
              </ul>
              {(o.shipments ?? []).map((s) => {
                const last = latestEvent(s);
                return (
                  <div key={s.tracking_no || s.carrier} className="kf-order-ship">
                    <div>
                      <CarOutlined /> {s.carrier} <span className="kf-mono">{s.tracking_no}</span> · {shipmentStatusLabel(t, s.status)}
                    </div>
                    {last && (
                      <div className="kf-order-ship-ev">
                        {fmtTime(last.at)} {last.location ? `${last.location} ` : ''}
                        {last.description}
                      </div>
                    )}
                    {(s.promised_at || s.signed_at) && (
                      <div className="kf-order-ship-ev">
                        {s.promised_at && t('orders.promised', { at: fmtDate(s.promised_at) })}
                        {s.promised_at && s.signed_at ? ' · ' : ''}
                        {s.signed_at && t('orders.signedAt', { at: fmtTime(s.signed_at) })}
                      </div>
                    )}
                  </div>
                );
              })}
              <div className="kf-order-actions">
                {!attachedIds.has(o.id) && (
                  <Button size="small" icon={<LinkOutlined />} loading={busy === o.id} onClick={() => void attach(o)} data-testid="order-attach">
                    {t('orders.attach')}
                  </Button>
                )}
                {canReply && (
                  <Button size="small" icon={<EnterOutlined />} onClick={() => onInsert(orderSummary(t, o))} data-testid="order-insert">
                    {t('orders.insert')}
                  </Button>
                )}
                <Button size="small" icon={<RollbackOutlined />} onClick={() => setReturning(o)} data-testid="order-start-return">
                  {t('orders.startReturn')}
                </Button>
              </div>
            </div>
          ))
        )}
      </Section>

      <Section title={t('returns.inConversation', { n: returns.items.length })} testid="conversation-returns">
        {returns.items.length === 0 ? (
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('returns.noneInConversation')}
          </Typography.Text>
        ) : (
          returns.items.map((r) => (
            <Link key={r.id} to={`/returns/${encodeURIComponent(r.id)}`} className="kf-side-return" data-testid="conversation-return">
              <span className="kf-mono">{r.shop_order_id}</span>
              <span className="kf-side-return-kind">{returnKindLabel(t, r.kind)}</span>
              <ReturnStateTag t={t} state={r.state} />
            </Link>
          ))
        )}
      </Section>

      <ReturnForm
        order={returning}
        conversationId={conv.id}
        onClose={() => setReturning(null)}
        onCreated={() => {
          setReturning(null);
          message.success(t('returns.form.created'));
          void returns.reload();
          void attached.reload();
        }}
      />
    </>
  );
}
