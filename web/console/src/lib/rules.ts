import type { TFunction } from 'i18next';
import { INTENTS, intentLabel } from './labels';
import { CHANNELS, channelLabel, PRIORITIES, priorityLabel } from './conversations';

// Automation rules: the fields, operators and actions the server accepts (rules/compile.go OpsFor), for the editor.

export const RULE_EVENTS = ['conversation_created', 'message_received', 'handoff'] as const;

export const RULE_FIELDS = [
  'channel',
  'inbox_id',
  'intent',
  'text',
  'sentiment',
  'priority',
  'labels',
  'contact.vip_tier',
  'order.value',
  'time_of_day',
  'weekday',
  'business_hours',
] as const;

export const SENTIMENTS = ['angry', 'negative', 'neutral', 'positive'];
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const OPS_ENUM = ['eq', 'neq', 'in', 'not_in'];
const OPS_KEYWORDS = ['contains_any', 'contains_none'];
const OPS_CONTACT = ['eq', 'neq', 'in', 'not_in', 'exists', 'not_exists'];
const OPS_NUMBER = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'exists', 'not_exists'];

/** The operators a field allows, as rules.OpsFor; contact.<attribute> fields share contact.vip_tier's. */
export function opsFor(field: string): string[] {
  switch (field) {
    case 'channel':
    case 'inbox_id':
    case 'intent':
    case 'sentiment':
    case 'priority':
      return OPS_ENUM;
    case 'text':
    case 'labels':
      return OPS_KEYWORDS;
    case 'order.value':
      return OPS_NUMBER;
    case 'time_of_day':
      return ['between'];
    case 'weekday':
      return ['in', 'not_in'];
    case 'business_hours':
      return ['is_true', 'is_false'];
  }
  return field.startsWith('contact.') ? OPS_CONTACT : [];
}

/** What kind of value input a condition needs. */
export type ValueKind = 'none' | 'text' | 'list' | 'number' | 'period' | 'bool';

export function valueKind(field: string, op: string): ValueKind {
  if (field === 'business_hours') return 'bool';
  if (['is_true', 'is_false', 'exists', 'not_exists'].includes(op)) return 'none';
  if (field === 'order.value') return 'number';
  if (op === 'between') return 'period';
  if (op === 'eq' || op === 'neq') return 'text';
  return 'list';
}

/** The values a field allows, as select options; null when any text is allowed. */
export function fieldEnum(t: TFunction, field: string): { value: string; label: string }[] | null {
  switch (field) {
    case 'intent':
      return INTENTS.map((v) => ({ value: v, label: intentLabel(t, v) }));
    case 'sentiment':
      return SENTIMENTS.map((v) => ({ value: v, label: t(`rules.sentiment.${v}`) }));
    case 'priority':
      return PRIORITIES.map((v) => ({ value: v, label: priorityLabel(t, v) }));
    case 'weekday':
      return WEEKDAYS.map((v) => ({ value: v, label: t(`rules.weekday.${v}`) }));
    case 'channel':
      return CHANNELS.map((v) => ({ value: v, label: channelLabel(t, v) }));
  }
  return null;
}

export function fieldLabel(t: TFunction, field: string): string {
  if ((RULE_FIELDS as readonly string[]).includes(field)) return t(`rules.field.${field.replace('.', '_')}`);
  if (field.startsWith('contact.')) return t('rules.field.contactAttr', { name: field.slice('contact.'.length) });
  return field;
}

export function opLabel(t: TFunction, op: string): string {
  return t(`rules.op.${op}`, { defaultValue: op });
}

export const RULE_ACTIONS = ['set_team', 'set_priority', 'add_labels', 'set_sla_policy', 'send_canned', 'add_note', 'call_webhook'] as const;

export function actionTypeLabel(t: TFunction, type: string): string {
  return (RULE_ACTIONS as readonly string[]).includes(type) ? t(`rules.action.${type}`) : type;
}

export function eventLabel(t: TFunction, e: string): string {
  return (RULE_EVENTS as readonly string[]).includes(e) ? t(`rules.event.${e}`) : e;
}
