import dayjs from 'dayjs';

export function fmtTime(v?: string | null): string {
  if (!v) return '—';
  const d = dayjs(v);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : v;
}

export function fmtDate(v?: string | null): string {
  if (!v) return '—';
  const d = dayjs(v);
  return d.isValid() ? d.format('YYYY-MM-DD') : v;
}

export function fromNow(v?: string | null): string {
  if (!v) return '—';
  const d = dayjs(v);
  return d.isValid() ? d.fromNow() : v;
}

/** A short, readable form of a browser user-agent string. */
export function shortUA(ua: string): string {
  if (!ua) return '—';
  const browser =
    /Edg\/(\d+)/.exec(ua)?.[0].replace('Edg', 'Edge') ||
    /Chrome\/(\d+)/.exec(ua)?.[0] ||
    /Firefox\/(\d+)/.exec(ua)?.[0] ||
    (/Version\/(\d+).*Safari/.test(ua) ? 'Safari/' + /Version\/(\d+)/.exec(ua)![1] : '') ||
    '';
  const os = /Windows NT [\d.]+/.test(ua)
    ? 'Windows'
    : /Mac OS X/.test(ua) && !/iPhone|iPad/.test(ua)
      ? 'macOS'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Android/.test(ua)
          ? 'Android'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  const s = [browser.replace('/', ' '), os].filter(Boolean).join(' · ');
  return s || ua;
}

/** n of d as a percentage (0–100, one decimal), or null when d is 0. */
export function ratio(n: number, d: number): number | null {
  return d > 0 ? Math.round((n / d) * 1000) / 10 : null;
}

/** n of d as "87.5%", or "—" when d is 0. */
export function fmtPercent(n: number, d: number): string {
  const r = ratio(n, d);
  return r === null ? '—' : `${r}%`;
}

/** An amount in integer fen as "¥12.34" ("-¥1.50" when negative). */
export function fmtMoney(fen?: number | null): string {
  if (fen === undefined || fen === null || !Number.isFinite(fen)) return '—';
  const abs = Math.abs(Math.round(fen));
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${fen < 0 ? '-' : ''}\u00a5${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
