import { Tag, Tooltip } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import type { Conversation } from '../api/types';
import { fmtTime } from './format';
import { useNow } from './useNow';

// SLA targets of a conversation: their labels, the state of each countdown and the tag that shows it.

export const SLA_TARGETS = ['first_response', 'next_response', 'resolution'] as const;
export type SLATarget = (typeof SLA_TARGETS)[number];

const DUE_FIELD: Record<SLATarget, 'first_response_due' | 'next_response_due' | 'resolution_due'> = {
  first_response: 'first_response_due',
  next_response: 'next_response_due',
  resolution: 'resolution_due',
};

/** "First response" for a target name. */
export function targetLabel(t: TFunction, target: string): string {
  return (SLA_TARGETS as readonly string[]).includes(target) ? t(`sla.target.${target}`) : target;
}

/** The short form for tags: "1st reply". */
export function targetShort(t: TFunction, target: string): string {
  return (SLA_TARGETS as readonly string[]).includes(target) ? t(`sla.short.${target}`) : target;
}

/** "1 h 30 min", "45 min", "2 h" for a number of minutes; "—" for 0 (no target). */
export function minutesText(t: TFunction, minutes: number): string {
  if (!minutes || minutes <= 0) return '—';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!h) return t('sla.min', { m });
  if (!m) return t('sla.h', { h });
  return t('sla.hmin', { h, m });
}

export type SLALevel = 'ok' | 'warning' | 'breached';

export interface SLAClock {
  target: SLATarget;
  due: string;
  /** ms until due; negative once past. */
  left: number;
  level: SLALevel;
}

/** The running SLA countdowns of a conversation at now, soonest first. */
export function slaClocks(c: Conversation, now: number): SLAClock[] {
  const fired = c.sla_fired ?? [];
  const out: SLAClock[] = [];
  for (const target of SLA_TARGETS) {
    const due = c[DUE_FIELD[target]];
    if (!due) continue;
    const at = dayjs(due);
    if (!at.isValid()) continue;
    const left = at.valueOf() - now;
    const level: SLALevel =
      left <= 0 || fired.includes(`${target}.breach`) ? 'breached' : fired.includes(`${target}.warning`) ? 'warning' : 'ok';
    out.push({ target, due, left, level });
  }
  return out.sort((a, b) => a.left - b.left);
}

/** "02:41" (mm:ss) under an hour, "3h 05m" under a day, else days and hours. */
function countdown(t: TFunction, ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return t('sla.dh', { d, h });
  if (h > 0) return t('sla.hm', { h, m });
  return `${pad(m)}:${pad(sec)}`;
}

/** How far past due: "+5 min", "+2h 3m" etc. */
function overdue(t: TFunction, ms: number): string {
  const m = Math.max(1, Math.floor(-ms / 60000));
  if (m < 60) return t('sla.overMin', { m });
  if (m < 24 * 60) return t('sla.overH', { h: Math.floor(m / 60), m: m % 60 });
  return t('sla.overD', { d: Math.floor(m / (24 * 60)) });
}

const LEVEL_COLOR: Record<SLALevel, string> = { ok: 'default', warning: 'orange', breached: 'red' };

/** A small tag counting down to one SLA target: "1st reply 02:41", orange after the warning, red "overdue +5 min" past due. */
export function SLATag({ clock, long, className }: { clock: SLAClock; long?: boolean; className?: string }) {
  const { t } = useTranslation();
  const name = long ? targetLabel(t, clock.target) : targetShort(t, clock.target);
  const text = clock.left <= 0 ? t('sla.breachedTag', { target: name, over: overdue(t, clock.left) }) : `${name} ${countdown(t, clock.left)}`;
  return (
    <Tooltip title={t('sla.dueAt', { target: targetLabel(t, clock.target), time: fmtTime(clock.due) })}>
      <Tag
        color={LEVEL_COLOR[clock.level]}
        bordered={clock.level === 'ok'}
        icon={<ClockCircleOutlined />}
        className={`kf-sla-tag ${className ?? ''}`}
        data-testid="sla-tag"
        data-level={clock.level}
        data-target={clock.target}
      >
        {text}
      </Tag>
    </Tooltip>
  );
}

/**
 * The live SLA countdown of a conversation, ticking every second: the soonest target only
 * (lists), or every running target (the conversation header). Nothing when no target runs.
 */
export function SLACountdown({ conv, all, className }: { conv: Conversation; all?: boolean; className?: string }) {
  const now = useNow(1000);
  if (conv.status === 'resolved') return null;
  const clocks = slaClocks(conv, now);
  if (!clocks.length) return null;
  return (
    <>
      {(all ? clocks : clocks.slice(0, 1)).map((c) => (
        <SLATag key={c.target} clock={c} long={all} className={className} />
      ))}
    </>
  );
}
