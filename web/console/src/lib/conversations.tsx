import type { ReactNode } from 'react';
import { Tag, Tooltip } from 'antd';
import { RobotOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import type { Conversation, Message } from '../api/types';

// Labels, colours and small text helpers shared by the inbox's panes.

export const STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNELS = ['webchat', 'api'] as const;

export const STATUS_COLOR: Record<string, string> = { open: 'blue', pending: 'gold', snoozed: 'purple', resolved: 'green' };
export const PRIORITY_COLOR: Record<string, string> = { low: 'default', normal: 'default', high: 'orange', urgent: 'red' };

const known = (list: readonly string[], v: string) => list.includes(v);

export function statusLabel(t: TFunction, s: string): string {
  return known(STATUSES, s) ? t(`conv.status.${s}`) : s;
}

export function priorityLabel(t: TFunction, p: string): string {
  return known(PRIORITIES, p) ? t(`conv.priority.${p}`) : p;
}

export function channelLabel(t: TFunction, c: string): string {
  return ['webchat', 'api', 'email', 'wechat', 'phone'].includes(c) ? t(`conv.channel.${c}`) : c;
}

export function contactName(t: TFunction, c?: Pick<Conversation, 'contact'> | null): string {
  return c?.contact?.name || t('contacts.unnamed');
}

/** The minutes since iso at now. */
export function minutesSince(iso: string | null | undefined, now: number): number {
  if (!iso) return 0;
  const d = dayjs(iso);
  return d.isValid() ? Math.max(0, Math.floor((now - d.valueOf()) / 60000)) : 0;
}

/** "Waiting 5 min" style text for how long the customer has been waiting. */
export function waitText(t: TFunction, since: string, now: number): string {
  const m = minutesSince(since, now);
  if (m < 1) return t('inbox.waitLessThanMinute');
  if (m < 60) return t('inbox.waitMinutes', { n: m });
  if (m < 24 * 60) return t('inbox.waitHours', { h: Math.floor(m / 60), m: m % 60 });
  return t('inbox.waitDays', { n: Math.floor(m / (24 * 60)) });
}

/** How urgent a wait is: calm, warn (5 min) or danger (15 min). */
export function waitLevel(since: string | null | undefined, now: number): 'calm' | 'warn' | 'danger' {
  const m = minutesSince(since, now);
  return m >= 15 ? 'danger' : m >= 5 ? 'warn' : 'calm';
}

/** A compact time for lists: 14:05 today, "yesterday", 03-12 this year, else the date. */
export function listTime(t: TFunction, iso?: string | null): string {
  if (!iso) return '';
  const d = dayjs(iso);
  if (!d.isValid()) return '';
  const now = dayjs();
  if (d.isSame(now, 'day')) return d.format('HH:mm');
  if (d.isSame(now.subtract(1, 'day'), 'day')) return t('inbox.yesterday');
  if (d.isSame(now, 'year')) return d.format('MM-DD');
  return d.format('YYYY-MM-DD');
}

export function isImage(contentType: string): boolean {
  return /^image\//.test(contentType);
}

export function fileSize(n: number): string {
  if (!n && n !== 0) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** One line for a message in lists: its text, or what it carries. */
export function messagePreview(t: TFunction, m?: Message | null): string {
  if (!m) return '';
  const text = (m.text ?? '').replace(/\s+/g, ' ').trim();
  if (text) return text;
  const a = m.attachments?.[0];
  if (!a) return '';
  return isImage(a.content_type) ? t('inbox.imagePreview') : t('inbox.filePreview', { name: a.name });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A window of text around the first match of q, with ellipses where it was cut. */
export function snippet(text: string, q: string, before = 24, after = 72): string {
  const flat = text.replace(/\s+/g, ' ');
  const i = q ? flat.toLowerCase().indexOf(q.toLowerCase()) : -1;
  if (i < 0) return flat.length > before + after ? flat.slice(0, before + after) + '…' : flat;
  const start = Math.max(0, i - before);
  const end = Math.min(flat.length, i + q.length + after);
  return (start > 0 ? '…' : '') + flat.slice(start, end) + (end < flat.length ? '…' : '');
}

/** text with every case-insensitive occurrence of q wrapped in <mark>. */
export function highlight(text: string, q: string): ReactNode {
  const words = q.trim().split(/\s+/).filter(Boolean).map(escapeRegExp);
  if (!words.length) return text;
  const re = new RegExp(`(${words.join('|')})`, 'gi');
  return text.split(re).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part));
}

/** "The bot is handling this": shown on conversations the bot still answers. */
export function BotTag({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('inbox.bot.tip')}>
      <Tag color="purple" bordered={false} icon={<RobotOutlined />} className={className} data-testid="bot-tag">
        {t('inbox.bot.handling')}
      </Tag>
    </Tooltip>
  );
}
