// The workspace's service targets (settings.targets, kefu.KPITargets) as the
// KPI pages show them: whether a figure meets its target, and the target's
// label ("≤ 8 min", "≥ 80%", "≤ 15") through i18n. A target of 0 is unset.
import type { ReactNode } from 'react';
import type { TFunction } from 'i18next';
import type { KpiStatus } from '../../components/KpiCard';

/** Nanoseconds in a minute, to compare durations with a target in minutes. */
export const MINUTE_NS = 60e9;

/** met or missed against a target (at most / at least); none without data or without a target. */
export function judge(value: number, denominator: number, target: number, kind: 'max' | 'min'): KpiStatus {
  if (denominator <= 0 || !(target > 0)) return 'none';
  return (kind === 'max' ? value <= target : value >= target) ? 'met' : 'missed';
}

/** A share (0–1) as a percentage with at most one decimal: 0.8 → "80%", 0.925 → "92.5%". */
const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** A median first response of at most this many minutes: "≤ 8 min", or nothing when unset. */
export const targetMinutes = (t: TFunction, minutes: number) =>
  minutes > 0 ? t('reports.target.minutes', { minutes: Math.round(minutes * 10) / 10 }) : undefined;

/** A share of at least this (0–1): "≥ 80%", or nothing when unset. */
export const targetAtLeast = (t: TFunction, share: number) => (share > 0 ? t('reports.target.atLeast', { pct: pct(share) }) : undefined);

/** A share of at most this (0–1): "≤ 3%", or nothing when unset. */
export const targetAtMost = (t: TFunction, share: number) => (share > 0 ? t('reports.target.atMost', { pct: pct(share) }) : undefined);

/** A count of at most n: "≤ 15", or nothing when unset. */
export const targetCount = (t: TFunction, n: number) => (n > 0 ? t('reports.target.count', { n }) : undefined);

/** One headline card of a report page, judged against its target. */
export interface CardSpec {
  key: string;
  title: string;
  help: ReactNode;
  value: ReactNode;
  sub: ReactNode;
  target?: string;
  status?: KpiStatus;
}
