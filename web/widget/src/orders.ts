// The orders tab ("订单/售后"), for customers the shop identified: their
// returns with what to do next (send the goods back with a tracking number,
// cancel while allowed), and their recent orders with a way to ask for
// after-sales service. GET {base}/widget/v1/orders and /returns, POST
// /widget/v1/returns and /returns/{id}/actions; the visitor token is the
// credential. Refusals (e.g. the 7 days are over) show the server's message.

import { locale, t, tl } from './i18n';
import { h } from './util';

interface Item {
  sku: string;
  name: string;
  quantity: number;
}
interface Order {
  id: string;
  shop_order_id: string;
  status: string;
  total: number;
  placed_at: string;
  items: Item[] | null;
}
interface Ret {
  id: string;
  shop_order_id: string;
  kind: string;
  state: string;
  breakdown?: { refund?: number };
  refunded?: number;
  return_address?: string;
  carrier?: string;
  tracking_no?: string;
  reject_reason?: string;
}

export interface Orders {
  el: HTMLElement;
  /** Fetches orders and returns and shows them; false when the visitor may not see orders (not identified). */
  load(): Promise<boolean>;
}

const KINDS = ['return_refund', 'exchange', 'refund_only', 'repair'];
const REASONS = ['no_reason', 'quality', 'damaged', 'wrong_item', 'not_as_described', 'other'];
const CANCELLABLE = ['requested', 'approved', 'awaiting_shipment'];
const DONE = ['rejected', 'closed', 'cancelled', 'refunded', 'exchanged', 'repaired', 'reshipped'];

const yuan = (n = 0) => (n / 100).toFixed(2);

export function ordersView(base: string, token: () => string): Orders {
  let ok = false;
  let seq = 0;
  let orders: Order[] = [];
  let rets: Ret[] = [];
  let formFor = ''; // the order whose return form is open
  let formEl: HTMLElement | null = null;
  const ship = new Map<string, HTMLElement>(); // ship_back forms, kept across refreshes so typing survives
  const out = h('div', { class: 'hr' });
  const el = h('div', { class: 'hp', role: 'tabpanel', 'aria-label': t('tabOrders'), 'data-testid': 'widget-orders', hidden: true }, out);
  const dateFmt = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' });

  async function api<T>(path: string, body?: Record<string, unknown>): Promise<T> {
    const r = await fetch(
      base + '/widget/v1/' + path + (body ? '' : '?visitor_token=' + encodeURIComponent(token())),
      body
        ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ visitor_token: token(), ...body }), credentials: 'omit', mode: 'cors' }
        : { credentials: 'omit', mode: 'cors' },
    );
    const d = await r.json().catch(() => null);
    if (!r.ok) throw Object.assign(new Error((d && d.error && d.error.message) || t('error')), { status: r.status });
    return d as T;
  }

  async function load(): Promise<boolean> {
    const my = ++seq;
    try {
      const [o, r] = await Promise.all([api<{ items?: Order[] }>('orders'), api<{ items?: Ret[] }>('returns')]);
      ok = true;
      if (my === seq) {
        orders = (o && o.items) || [];
        rets = (r && r.items) || [];
        render();
      }
    } catch (e) {
      const st = (e as { status?: number }).status || 0;
      if (st >= 400 && st < 500) ok = false; // not identified (403), or the visitor is gone
    }
    return ok;
  }

  /** Runs a POST from a button, showing the server's refusal in err; reloads on success. */
  async function act(btn: HTMLButtonElement, err: HTMLElement, path: string, body: Record<string, unknown>): Promise<boolean> {
    btn.disabled = true;
    err.textContent = '';
    try {
      await api(path, body);
      await load();
      return true;
    } catch (e) {
      err.textContent = (e as { status?: number }).status ? (e as Error).message : t('error'); // the server's refusal, or the network failed
      err.scrollIntoView({ block: 'nearest' });
      return false;
    } finally {
      btn.disabled = false;
    }
  }

  function render(): void {
    const ids = new Set(rets.map((r) => r.id));
    for (const k of ship.keys()) if (!ids.has(k)) ship.delete(k);
    out.replaceChildren(
      ...(rets.length ? [h('div', { class: 'hl' }, t('retMine'))] : []),
      ...rets.map(retCard),
      h('div', { class: 'hl' }, t('ordRecent')),
      ...(orders.length ? orders.map(orderCard) : [h('p', { class: 'om' }, t('ordNone'))]),
    );
  }

  function retCard(r: Ret): HTMLElement {
    const err = h('div', { class: 'err', role: 'alert', 'data-testid': 'widget-return-error' });
    const refund = r.refunded || (r.breakdown && r.breakdown.refund) || 0;
    const cancel = h('button', { class: 'lk2', type: 'button', 'data-testid': 'widget-return-cancel' }, t('retCancel'));
    cancel.onclick = () => {
      // Two clicks: the first asks to confirm.
      if (cancel.dataset.sure) act(cancel, err, 'returns/' + r.id + '/actions', { action: 'cancel' });
      else {
        cancel.dataset.sure = '1';
        cancel.textContent = t('retCancelSure');
      }
    };
    return h('div', { class: 'hh oc', 'data-testid': 'widget-return', 'data-id': r.id, 'data-state': r.state },
      h('div', { class: 'oh' }, h('span', null, tl('rk_', r.kind) + ' · ' + t('ordNo', { id: r.shop_order_id })),
        h('span', { class: 'st' + (DONE.includes(r.state) ? ' x' : ''), 'data-testid': 'widget-return-state' }, tl('rs_', r.state))),
      refund > 0 && (r.kind === 'return_refund' || r.kind === 'refund_only') && h('div', { class: 'om' }, t('retRefund', { n: yuan(refund) })),
      r.state === 'rejected' && r.reject_reason && h('div', { class: 'om' }, t('retWhy', { r: r.reject_reason })),
      r.tracking_no && h('div', { class: 'om' }, t('retParcel', { c: r.carrier || '', n: r.tracking_no })),
      r.state === 'awaiting_shipment' && [
        h('div', { class: 'oa', 'data-testid': 'widget-return-address' }, h('b', null, t('retAddress') + '：'), r.return_address || ''),
        shipForm(r),
      ],
      err,
      CANCELLABLE.includes(r.state) && h('div', { class: 'ob' }, cancel),
    );
  }

  function shipForm(r: Ret): HTMLElement {
    let f = ship.get(r.id);
    if (f) return f;
    const carrier = h('input', { class: 'in', maxlength: 32, placeholder: t('retCarrier'), 'aria-label': t('retCarrier'), 'data-testid': 'widget-return-carrier' });
    const no = h('input', { class: 'in', maxlength: 64, placeholder: t('retTracking'), 'aria-label': t('retTracking'), 'data-testid': 'widget-return-tracking' });
    const err = h('div', { class: 'err', role: 'alert', 'data-testid': 'widget-return-error' });
    const btn = h('button', { class: 'b2', type: 'submit', 'data-testid': 'widget-return-ship' }, t('retShip'));
    f = h('form', { class: 'os', novalidate: true }, h('div', { class: 'ob' }, carrier, no), err, btn);
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      const c = carrier.value.trim();
      const n = no.value.trim();
      if (!c || !n) err.textContent = t('retShipNeed');
      else act(btn, err, 'returns/' + r.id + '/actions', { action: 'ship_back', carrier: c, tracking_no: n });
    });
    ship.set(r.id, f);
    return f;
  }

  function orderCard(o: Order): HTMLElement {
    const items = o.items || [];
    const can = !['pending_payment', 'cancelled', 'refunded'].includes(o.status);
    return h('div', { class: 'hh oc', 'data-testid': 'widget-order', 'data-id': o.id },
      h('div', { class: 'oh' }, h('span', null, t('ordNo', { id: o.shop_order_id })), h('span', { class: 'st x' }, tl('os_', o.status))),
      h('div', { class: 'om' }, items.map((i) => i.name + ' ×' + i.quantity).join('，')),
      h('div', { class: 'om' }, t('ordMeta', { d: dateFmt.format(Date.parse(o.placed_at) || 0), n: yuan(o.total) })),
      formFor === o.id && formEl
        ? formEl
        : can &&
            h('div', { class: 'ob' },
              h('button', { class: 'b2 o', type: 'button', 'data-testid': 'widget-order-return', onclick: () => {
                formFor = o.id;
                formEl = returnForm(o);
                render();
              } }, t('retApply')),
            ),
    );
  }

  function returnForm(o: Order): HTMLElement {
    const sel = (tid: string, p: string, vals: string[]) => h('select', { class: 'in', 'data-testid': tid }, vals.map((v) => h('option', { value: v }, tl(p, v))));
    const kind = sel('widget-return-kind', 'rk_', KINDS);
    const reason = sel('widget-return-reason', 'rr_', REASONS);
    const note = h('textarea', { class: 'in', rows: 2, maxlength: 2000, 'data-testid': 'widget-return-note' });
    const err = h('div', { class: 'err', role: 'alert', 'data-testid': 'widget-return-error' });
    const btn = h('button', { class: 'b2', type: 'submit', 'data-testid': 'widget-return-submit' }, t('retSubmit'));
    const one = (o.items || []).length === 1;
    const rows = (o.items || []).map((i) => {
      const on = h('input', { type: 'checkbox', checked: one, 'data-testid': 'widget-return-item', 'data-sku': i.sku });
      const qty = h('input', { class: 'in', type: 'number', min: 1, max: i.quantity, value: i.quantity, 'aria-label': i.name, 'data-testid': 'widget-return-qty' });
      return { i, on, qty, el: h('label', { class: 'ol' }, on, h('span', null, i.name), qty) };
    });
    const f = h('form', { class: 'os', novalidate: true, 'data-testid': 'widget-return-form' },
      h('label', { class: 'f' }, h('span', null, t('retKind')), kind),
      h('label', { class: 'f' }, h('span', null, t('retReason')), reason),
      h('div', { class: 'f' }, h('span', null, t('retItems')), rows.map((r) => r.el)),
      h('label', { class: 'f' }, h('span', null, t('retNote')), note),
      err,
      h('div', { class: 'ob' }, btn,
        h('button', { class: 'lk2', type: 'button', onclick: () => {
          formFor = '';
          render();
        } }, t('retBack')),
      ),
    );
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      const lines = rows.filter((r) => r.on.checked).map((r) => ({ sku: r.i.sku, quantity: Math.min(r.i.quantity, Math.max(1, Math.floor(Number(r.qty.value) || 1))) }));
      if (!lines.length) return void (err.textContent = t('retPickItem'));
      if (await act(btn, err, 'returns', { order_id: o.id, kind: kind.value, reason: reason.value, description: note.value.trim(), lines })) {
        formFor = '';
        render();
      }
    });
    return f;
  }

  return { el, load };
}
