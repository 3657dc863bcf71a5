import { useEffect, useRef } from 'react';
import type { TFunction } from 'i18next';
import type { Presence, RoutingStrategy } from '../api/types';
import type { OutgoingFrame } from './useAgentSocket';

// Labels and colours for routing: agent presence, assignment strategies and the kinds of work.

export const PRESENCES: Presence[] = ['online', 'busy', 'away', 'offline'];
/** antd Badge status per presence. */
export const PRESENCE_BADGE: Record<string, 'success' | 'error' | 'warning' | 'default'> = {
  online: 'success',
  busy: 'error',
  away: 'warning',
  offline: 'default',
};
export const STRATEGIES: RoutingStrategy[] = ['least_loaded', 'round_robin'];
/** The kinds of work an agent has a capacity for. */
export const WORK_KINDS = ['chat', 'email', 'phone'] as const;

export function presenceLabel(t: TFunction, s: string): string {
  return PRESENCES.includes(s as Presence) ? t(`routing.presence.${s}`) : s || '—';
}

export function strategyLabel(t: TFunction, s?: string): string {
  return STRATEGIES.includes(s as RoutingStrategy) ? t(`routing.strategy.${s}`) : s || '—';
}

export function kindLabel(t: TFunction, k: string): string {
  return (WORK_KINDS as readonly string[]).includes(k) ? t(`routing.kind.${k}`) : k;
}

/** "1 h 5 min" style text for a duration in ms. */
export function durationText(t: TFunction, ms: number): string {
  const m = Math.max(0, Math.floor(ms / 60000));
  if (m < 1) return t('inbox.waitLessThanMinute');
  if (m < 60) return t('inbox.waitMinutes', { n: m });
  return t('inbox.waitHours', { h: Math.floor(m / 60), m: m % 60 });
}

const ACTIVITY_MS = 60_000;

/**
 * While mounted, tells the server over the agent socket that the user is active
 * (keydown or mousedown), at most once a minute, so it does not mark them away.
 */
export function useActivityPing(send: (f: OutgoingFrame) => boolean) {
  const last = useRef(0);
  const sendRef = useRef(send);
  useEffect(() => {
    sendRef.current = send;
  });
  useEffect(() => {
    const onActive = () => {
      const now = Date.now();
      if (now - last.current < ACTIVITY_MS) return;
      if (sendRef.current({ type: 'activity' })) last.current = now;
    };
    window.addEventListener('keydown', onActive, true);
    window.addEventListener('mousedown', onActive, true);
    return () => {
      window.removeEventListener('keydown', onActive, true);
      window.removeEventListener('mousedown', onActive, true);
    };
  }, []);
}
