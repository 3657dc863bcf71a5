import type { TFunction } from 'i18next';
import { BUILTIN_ROLES, KNOWN_ACTIONS, KNOWN_PERMS, permKey } from './permissions';

export function roleLabel(t: TFunction, name: string): string {
  return BUILTIN_ROLES.includes(name) ? t(`roles.builtinNames.${name}`) : name;
}

export function permLabel(t: TFunction, name: string): string {
  return KNOWN_PERMS.includes(name) ? t(`perms.${permKey(name)}.label`) : name;
}

export function permDesc(t: TFunction, name: string): string {
  return KNOWN_PERMS.includes(name) ? t(`perms.${permKey(name)}.desc`) : '';
}

export function actionLabel(t: TFunction, action: string): string {
  return KNOWN_ACTIONS.includes(action) ? t(`audit.actions.${permKey(action)}`) : action;
}

const REASONS = ['new_device', 'new_network'];

/** Splits an anomaly value ("new_device", "new_device,new_network", …) into reasons. */
export function anomalyReasons(anomaly: string | string[] | undefined | null): string[] {
  if (!anomaly) return [];
  const list = Array.isArray(anomaly) ? anomaly : anomaly.split(/[\s,;|+]+/);
  return list.map((s) => s.trim()).filter(Boolean);
}

export function reasonLabel(t: TFunction, reason: string): string {
  return REASONS.includes(reason) ? t(`anomaly.${reason}`) : reason;
}

export function reasonsText(t: TFunction, reasons: string[]): string {
  if (reasons.length === 0) return t('anomaly.unknown');
  return reasons.map((r) => reasonLabel(t, r)).join(t('common.listSep'));
}
