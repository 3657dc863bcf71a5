// After-sales returns: the kinds, reasons and states kefu knows (returns/law.go,
// returns/machine.go), their labels and colours, and the state machine's
// transitions, kept in this one table. Labels live under "returns.*".
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { Order, Return } from '../api/types';
import { fmtDate, fmtMoney, fmtTime } from './format';

export const RETURN_KINDS = ['return_refund', 'exchange', 'refund_only', 'repair'];
export const RETURN_REASONS = ['no_reason', 'quality', 'damaged', 'wrong_item', 'not_as_described', 'other'];
export const RETURN_STATES = [
  'requested',
  'approved',
  'rejected',
  'awaiting_shipment',
  'in_transit',
  'received',
  'inspected',
  'inspection_failed',
  'refunded',
  'exchanged',
  'repaired',
  'reshipped',
  'closed',
  'cancelled',
];
/** States that are hidden on the board unless asked for. */
export const FINISHED_STATES = ['closed', 'cancelled'];

export const RETURN_ACTIONS = [
  'approve',
  'reject',
  'send_address',
  'ship_back',
  'receive',
  'inspect',
  'refund',
  'exchange',
  'reship',
  'repair',
  'close',
  'cancel',
] as const;
export type ReturnAction = (typeof RETURN_ACTIONS)[number];

const SHIPPED = ['return_refund', 'exchange', 'repair'];

/** The machine's edges (returns/machine.go transitions): from, action, kinds (null: every kind). */
const TRANSITIONS: [string, ReturnAction, string[] | null][] = [
  ['requested', 'approve', null],
  ['requested', 'reject', null],
  ['requested', 'cancel', null],
  ['approved', 'send_address', SHIPPED],
  ['approved', 'refund', ['refund_only']],
  ['approved', 'cancel', null],
  ['awaiting_shipment', 'ship_back', SHIPPED],
  ['awaiting_shipment', 'receive', SHIPPED],
  ['awaiting_shipment', 'cancel', SHIPPED],
  ['in_transit', 'receive', SHIPPED],
  ['received', 'inspect', SHIPPED],
  ['inspection_failed', 'inspect', SHIPPED],
  ['inspection_failed', 'reship', SHIPPED],
  ['inspected', 'refund', ['return_refund']],
  ['inspected', 'exchange', ['exchange']],
  ['inspected', 'repair', ['repair']],
  ['refunded', 'close', ['return_refund', 'refund_only']],
  ['exchanged', 'close', ['exchange']],
  ['repaired', 'close', ['repair']],
  ['reshipped', 'close', SHIPPED],
  ['rejected', 'close', null],
];

/** The actions the machine allows on a return of kind in state, in RETURN_ACTIONS order. */
export function allowedActions(kind: string, state: string): ReturnAction[] {
  if (!RETURN_KINDS.includes(kind)) return [];
  return RETURN_ACTIONS.filter((a) => TRANSITIONS.some(([from, act, kinds]) => from === state && act === a && (!kinds || kinds.includes(kind))));
}

export const RETURN_STATE_COLOR: Record<string, string> = {
  requested: 'gold',
  approved: 'blue',
  rejected: 'red',
  awaiting_shipment: 'cyan',
  in_transit: 'geekblue',
  received: 'purple',
  inspected: 'green',
  inspection_failed: 'volcano',
  refunded: 'success',
  exchanged: 'success',
  repaired: 'success',
  reshipped: 'default',
  closed: 'default',
  cancelled: 'default',
};

function known(t: TFunction, group: string, list: readonly string[], v: string): string {
  return list.includes(v) ? t(`returns.${group}.${v}`) : v;
}

export const returnKindLabel = (t: TFunction, k: string) => known(t, 'kind', RETURN_KINDS, k);
export const returnReasonLabel = (t: TFunction, r: string) => known(t, 'reason', RETURN_REASONS, r);
export const returnStateLabel = (t: TFunction, s: string) => known(t, 'state', RETURN_STATES, s);
export const returnActionLabel = (t: TFunction, a: string) => known(t, 'action', RETURN_ACTIONS, a);

export const ORDER_STATUSES = ['pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded'];
export const orderStatusLabel = (t: TFunction, s: string) => known(t, 'orderStatus', ORDER_STATUSES, s);
export const ORDER_STATUS_COLOR: Record<string, string> = {
  pending_payment: 'gold',
  paid: 'blue',
  shipped: 'geekblue',
  delivered: 'green',
  completed: 'default',
  cancelled: 'default',
  refunded: 'orange',
};
const SHIPMENT_STATUSES = ['in_transit', 'delivered', 'exception', 'lost', 'returned'];
export const shipmentStatusLabel = (t: TFunction, s: string) => known(t, 'shipmentStatus', SHIPMENT_STATUSES, s);

/** A deadline step ("address", "refund") and moment kind ("warning", "due", "penalty_risk"). */
export const deadlineLabel = (t: TFunction, name: string) => known(t, 'deadline', ['address', 'refund'], name);
export const paymentMethodLabel = (t: TFunction, m: string) => known(t, 'payment', ['alipay', 'wechat', 'unionpay', 'card', 'cod'], m);
export const paidByLabel = (t: TFunction, who: string) => known(t, 'paidBy', ['customer', 'shop'], who);

export function ReturnStateTag({ t, state }: { t: TFunction; state: string }) {
  return (
    <Tag color={RETURN_STATE_COLOR[state] ?? 'default'} bordered={false} style={{ marginInlineEnd: 0 }}>
      {returnStateLabel(t, state)}
    </Tag>
  );
}

/** "in 3h 20m" / "overdue 1d 2h" for a due time against now (ms). */
export function countdown(t: TFunction, due: string, now: number): { text: string; past: boolean } {
  const ms = new Date(due).getTime() - now;
  const past = ms < 0;
  let mins = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(mins / 1440);
  mins -= days * 1440;
  const hours = Math.floor(mins / 60);
  mins -= hours * 60;
  const span = days > 0 ? t('returns.span.dh', { d: days, h: hours }) : hours > 0 ? t('returns.span.hm', { h: hours, m: mins }) : t('returns.span.m', { m: mins });
  return { text: t(past ? 'returns.overdueBy' : 'returns.dueIn', { span }), past };
}

/** A short summary of an order for the customer, to put into a reply. */
export function orderSummary(t: TFunction, o: Order): string {
  const items = (o.items ?? []).map((i) => t('orders.summaryItem', { name: i.name, n: i.quantity })).join(t('common.listSep'));
  const ship = (o.shipments ?? [])
    .map((s) => {
      const last = latestEvent(s);
      return t('orders.summaryShipment', {
        carrier: s.carrier,
        no: s.tracking_no,
        status: s.signed_at ? t('orders.signedAt', { at: fmtTime(s.signed_at) }) : last ? last.description : shipmentStatusLabel(t, s.status),
      });
    })
    .join('\n');
  return [
    t('orders.summaryHead', { no: o.shop_order_id, status: orderStatusLabel(t, o.status), placed: fmtDate(o.placed_at) }),
    t('orders.summaryItems', { items: items || '—', total: fmtMoney(o.total) }),
    ship,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A shipment's latest tracking scan. */
export function latestEvent(s: { events?: { at: string; description: string; location?: string; status: string }[] }) {
  const evs = s.events ?? [];
  return evs.length ? evs.reduce((a, b) => (b.at > a.at ? b : a)) : null;
}

/** What is due next on a return, sorted first when sooner; returns without a deadline last. */
export function byNextDue(a: Return, b: Return): number {
  const x = a.next?.at ?? '';
  const y = b.next?.at ?? '';
  if (x && y) return x.localeCompare(y);
  if (x) return -1;
  if (y) return 1;
  return a.requested_at.localeCompare(b.requested_at);
}
