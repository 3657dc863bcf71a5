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

/** The request types kefu sorts customer messages into (kefu.Intents); labels are "intent.<name>". */
export const INTENTS = [
  'presale',
  'order',
  'logistics',
  'return_refund',
  'quality',
  'repair_install',
  'payment',
  'invoice',
  'promotion',
  'account',
  'complaint',
  'other',
];

export const INTENT_COLORS: Record<string, string> = {
  presale: 'blue',
  order: 'geekblue',
  logistics: 'cyan',
  return_refund: 'orange',
  quality: 'volcano',
  repair_install: 'purple',
  payment: 'gold',
  invoice: 'lime',
  promotion: 'magenta',
  account: 'green',
  complaint: 'red',
  other: 'default',
};

export function intentLabel(t: TFunction, intent: string): string {
  return INTENTS.includes(intent) ? t(`intent.${intent}`) : intent;
}

/** The intents as select options. */
export function intentOptions(t: TFunction) {
  return INTENTS.map((i) => ({ value: i, label: intentLabel(t, i) }));
}

/** Why the bot handed a conversation to a human; labels are "handoffReason.<name>". */
export const HANDOFF_REASONS = ['asked_for_human', 'angry', 'complaint', 'low_confidence', 'not_helpful', 'bot_error', 'offline'];

export function handoffReasonLabel(t: TFunction, reason: string): string {
  return HANDOFF_REASONS.includes(reason) ? t(`handoffReason.${reason}`) : reason;
}
