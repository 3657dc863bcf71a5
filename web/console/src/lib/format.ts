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

/**
 * A duration in nanoseconds (a Go time.Duration) as "1h 5m 3s", "4m 12s" or
 * "8.5s" (tenths of a second under a minute, truncated, never rounded up past
 * the value); "—" when missing.
 */
export function fmtDuration(ns?: number | null): string {
  if (ns === undefined || ns === null || !Number.isFinite(ns)) return '—';
  const sign = ns < 0 ? '-' : '';
  const ms = Math.floor(Math.abs(ns) / 1e6);
  if (ms < 60_000) {
    const tenths = Math.floor(ms / 100);
    return `${sign}${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}s`;
  }
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return sign + (h > 0 ? `${h}h ${m}m ${s}s` : `${m}m ${s}s`);
}

/** A share (0–1) as "87.5%" with one decimal, or "—" when its denominator is 0. */
export function fmtShare(share: number, denominator: number): string {
  return denominator > 0 && Number.isFinite(share) ? `${(Math.round(share * 1000) / 10).toFixed(1)}%` : '—';
}
