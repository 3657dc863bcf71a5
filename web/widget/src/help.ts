// The help tab ("常见问题"): searches the shop's knowledge base as the customer
// types, via GET {base}/widget/v1/help?q=&locale= (public, no token). FAQ hits
// expand in place to their answer (plain text, never HTML); article hits link
// to the public help centre.

import { locale, t } from './i18n';
import { h, icon, ICON, linkify } from './util';

interface Hit {
  kind: string;
  faq?: { question: string; answer: string };
  article?: { slug: string; title: string; category?: string };
}

export interface Help {
  el: HTMLElement;
  input: HTMLInputElement;
}

/** Builds the help panel; contact(q) is called when the customer asks for an agent. */
export function helpView(base: string, contact: (q: string) => void): Help {
  const cache = new Map<string, Hit[]>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ctl: AbortController | null = null;
  let pending = ''; // the query being fetched
  let shown = ''; // the query whose results are shown

  const input = h('input', {
    class: 'si', type: 'search', maxlength: 200, enterkeyhint: 'search', autocomplete: 'off', spellcheck: 'false',
    placeholder: t('helpPh'), 'aria-label': t('helpLabel'), 'data-testid': 'widget-help-search',
  });
  const out = h('div', { class: 'hr', 'aria-live': 'polite' });
  const el = h('div', { class: 'hp', role: 'tabpanel', 'aria-label': t('tabHelp'), 'data-testid': 'widget-help' },
    h('div', { class: 'hq' }, h('label', { class: 'sf' }, icon(ICON.search, 's'), input)),
    out,
  );
  const url = (path: string) => base + '/help' + path + '?lang=' + locale;
  const chatBtn = (q: string, cls: string) =>
    h('button', { class: cls, type: 'button', 'data-testid': 'widget-help-contact', onclick: () => contact(q) }, t('helpContact'));
  const note = (tid: string, ic: string, title: string, text: string, ...kids: HTMLElement[]) =>
    h('div', { class: 'he', 'data-testid': tid }, h('span', { class: 'hei' }, icon(ic, 's')), h('p', { class: 'he-h' }, title), h('p', { class: 'he-p' }, text), ...kids);
  const put = (...kids: (HTMLElement | HTMLElement[])[]) => {
    out.classList.remove('ld');
    out.replaceChildren(...kids.flat());
    out.scrollTop = 0;
  };

  function hint(): void {
    shown = '';
    put(note('widget-help-empty', ICON.help, t('helpHintTitle'), t('helpHint'),
      h('a', { class: 'b2 o', href: url(''), target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'widget-help-browse' }, t('helpBrowse'), icon(ICON.ext, 's')),
    ));
  }

  function hit(x: Hit): HTMLElement {
    if (x.faq) {
      const ans = h('div', { class: 'ha', hidden: true });
      linkify(ans, x.faq.answer || '');
      const row = h('div', { class: 'hh', 'data-testid': 'widget-help-hit', 'data-kind': 'faq' });
      const btn = h('button', { class: 'hb', type: 'button', 'aria-expanded': 'false', onclick: () => {
        const o = !row.classList.contains('x');
        ans.hidden = !o;
        btn.setAttribute('aria-expanded', String(o));
        row.classList.toggle('x', o);
      } }, h('span', null, x.faq.question), icon(ICON.down, 's'));
      row.append(btn, ans);
      return row;
    }
    const a = x.article!;
    return h('a', { class: 'hh ar', href: url('/' + encodeURIComponent(a.slug)), target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'widget-help-hit', 'data-kind': 'article' },
      h('span', { class: 'hic' }, icon(ICON.file, 's')),
      h('span', { class: 'hat' }, h('b', null, a.title), h('small', null, t('helpArticle') + (a.category ? ' · ' + a.category : ''))),
      icon(ICON.ext, 's'),
    );
  }

  function show(q: string, hits: Hit[]): void {
    shown = q;
    const short = q.length > 30 ? q.slice(0, 30) + '…' : q;
    if (!hits.length) return put(note('widget-help-none', ICON.search, t('helpNone', { q: short }), t('helpNoneHint'), chatBtn(q, 'b2')));
    put(h('div', { class: 'hl' }, t('helpResults')), hits.map(hit), h('div', { class: 'hm' }, t('helpMore'), chatBtn(q, 'lk2')));
  }

  async function run(q: string, force = false): Promise<void> {
    if (!force && (q === pending || (q === shown && !pending))) return;
    ctl?.abort();
    ctl = null;
    pending = '';
    const c = cache.get(q);
    if (c) return show(q, c);
    const my = (ctl = new AbortController());
    pending = q;
    if (shown) out.classList.add('ld');
    else put(h('div', { class: 'hl' }, t('helpSearching')));
    try {
      const r = await fetch(base + '/widget/v1/help?q=' + encodeURIComponent(q) + '&locale=' + locale, { credentials: 'omit', mode: 'cors', signal: my.signal });
      if (!r.ok) throw new Error('HTTP ' + r.status);
      const d = (await r.json()) as { items?: Hit[] };
      const hits = (Array.isArray(d && d.items) ? d.items! : [])
        .filter((x) => x && (x.kind === 'faq' ? x.faq && x.faq.question : x.kind === 'article' && x.article && x.article.slug))
        .slice(0, 5);
      cache.set(q, hits);
      if (cache.size > 30) cache.delete(cache.keys().next().value!);
      if (ctl === my) show(q, hits);
    } catch {
      if (ctl === my) {
        shown = '';
        put(note('widget-help-error', ICON.alert, t('helpError'), t('helpErrorHint'),
          h('button', { class: 'b2', type: 'button', 'data-testid': 'widget-help-retry', onclick: () => run(q, true) }, t('retry')),
          chatBtn(q, 'lk2'),
        ));
      }
    } finally {
      if (ctl === my) {
        ctl = null;
        pending = '';
      }
    }
  }

  /** Searches what is in the box: now (Enter) or after 300 ms of quiet. */
  function go(now: boolean): void {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) {
      ctl?.abort();
      ctl = null;
      pending = '';
      return hint();
    }
    if (now) run(q, q !== shown);
    else timer = setTimeout(() => run(q), 300);
  }

  input.addEventListener('input', (e) => {
    if (!(e as InputEvent).isComposing) go(false);
  });
  input.addEventListener('compositionend', () => go(false));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      go(true);
      if (matchMedia('(pointer: coarse)').matches) input.blur(); // let the phone keyboard go to show the results
    } else if (e.key === 'Escape' && input.value) {
      e.stopPropagation(); // clear the box rather than close the window
      e.preventDefault();
      input.value = '';
      go(true);
    }
  });
  hint();
  return { el, input };
}
