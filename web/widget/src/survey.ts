// The survey card: when an agent resolves a conversation whose inbox asks a
// survey, the socket sends {"type":"survey","survey":{token, kind, expires_at}}
// and the chat shows this card — CSAT as 5 stars and/or NPS as 0–10, as kind
// says, with an optional comment. POST {base}/widget/v1/survey
// {token, csat, nps, comment}; the token is the credential.

import { t } from './i18n';
import { h, icon, ICON } from './util';

export interface Ask {
  token: string;
  kind: string; // csat, nps or both
  expires_at: string;
}

/** Builds the card; done() is called once the answer is recorded or refused for good (409). */
export function surveyCard(base: string, ask: Ask, done: () => void): HTMLElement {
  const score: { csat?: number; nps?: number } = {};
  const wants = (k: string) => ask.kind === k || ask.kind === 'both';
  const scale = (k: 'csat' | 'nps', from: number, to: number, label: string, lo: string, hi: string) => {
    if (!wants(k)) return null;
    const btns: HTMLButtonElement[] = [];
    for (let n = from; n <= to; n++)
      btns.push(h('button', { class: k === 'csat' ? 'svs' : 'svn', type: 'button', 'aria-label': String(n), 'aria-pressed': 'false', 'data-testid': 'widget-survey-' + k, 'data-value': n, onclick: () => {
        score[k] = n;
        err.textContent = '';
        // Stars fill up to the one chosen; NPS marks the number chosen.
        btns.forEach((b, i) => b.setAttribute('aria-pressed', String(k === 'csat' ? i + from <= n : i + from === n)));
      } }, k === 'csat' ? icon(ICON.star, 's') : String(n)));
    return h('div', { class: 'svq', role: 'group', 'aria-label': label },
      h('p', null, label),
      h('div', { class: 'svr' }, btns),
      h('div', { class: 'svl' }, h('span', null, lo), h('span', null, hi)),
    );
  };
  const comment = h('textarea', { class: 'in', rows: 2, maxlength: 1000, placeholder: t('svComment'), 'aria-label': t('svComment'), 'data-testid': 'widget-survey-comment' });
  const err = h('div', { class: 'err', role: 'alert', 'data-testid': 'widget-survey-error' });
  const btn = h('button', { class: 'btn', type: 'submit', 'data-testid': 'widget-survey-submit' }, t('svSubmit'));
  const form = h('form', { class: 'card', novalidate: true },
    h('div', { class: 'card-h' }, icon(ICON.star, 's'), t('svTitle')),
    scale('csat', 1, 5, t('svCsat'), t('svLow'), t('svHigh')),
    scale('nps', 0, 10, t('svNps'), t('svUnlikely'), t('svLikely')),
    comment,
    err,
    btn,
  );
  const el = h('div', { 'data-testid': 'widget-survey', 'data-kind': ask.kind }, form);
  const fail = (msg: string) => {
    err.textContent = msg;
    err.scrollIntoView({ block: 'nearest' });
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (wants('csat') && !score.csat) return fail(t('svNeedCsat'));
    if (wants('nps') && score.nps == null) return fail(t('svNeedNps'));
    btn.disabled = true;
    err.textContent = '';
    try {
      const r = await fetch(base + '/widget/v1/survey', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: ask.token, ...score, comment: comment.value.trim() }),
        credentials: 'omit',
        mode: 'cors',
      });
      if (r.ok) {
        el.replaceChildren(h('div', { class: 'card ok', 'data-testid': 'widget-survey-thanks' }, icon(ICON.ok, 's'), t('svThanks')));
        return done();
      }
      const d = await r.json().catch(() => null);
      const x = (d && d.error) || {};
      if (r.status === 409) {
        // Answered already (here or on the survey page) or expired: nothing more to send.
        form.replaceChildren(h('div', { class: 'err', 'data-testid': 'widget-survey-error' }, t(/expired/i.test(x.message || '') ? 'svExpired' : 'svAnswered')));
        return done();
      }
      fail(r.status === 400 && x.field === 'csat' ? t('svNeedCsat') : r.status === 400 && x.field === 'nps' ? t('svNeedNps') : x.message || t('error'));
    } catch {
      fail(t('error'));
    }
    btn.disabled = false;
  });
  return el;
}
