import { useCallback, useMemo } from 'react';
import { Card, DatePicker, Select, Space } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CHANNELS, channelLabel } from '../../lib/conversations';
import { intentOptions } from '../../lib/labels';
import type { Directory } from '../../lib/useDirectory';

/** Contact tiers the reports filter on (contact attribute vip_tier). */
const TIERS = ['gold', 'platinum', 'vip'];

/** The filters the report endpoints share (httpapi kpiFilter): a period of dates and optional slices. */
export interface ReportQuery {
  [key: string]: string | undefined;
  from: string;
  to: string;
  channel?: string;
  team_id?: string;
  agent_id?: string;
  intent?: string;
  tier?: string;
}

/** The optional slices a filter bar can offer. */
export type ReportFilterField = 'channel' | 'team_id' | 'agent_id' | 'intent' | 'tier';
const FIELDS: ReportFilterField[] = ['channel', 'team_id', 'agent_id', 'intent', 'tier'];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const fmt = (d: Dayjs) => d.format('YYYY-MM-DD');

/**
 * A report's filters in the page's query string (?from=2019-06-01&to=…&channel=…),
 * so a report can be linked to; the period defaults to the last `days` days.
 */
export function useReportQuery(days = 30): [ReportQuery, (patch: Partial<ReportQuery>) => void] {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  const query = useMemo<ReportQuery>(() => {
    const p = new URLSearchParams(key);
    const date = (k: string, fallback: Dayjs) => {
      const v = p.get(k) ?? '';
      return DAY.test(v) && dayjs(v).isValid() ? v : fmt(fallback);
    };
    const q: ReportQuery = { from: date('from', dayjs().subtract(days - 1, 'day')), to: date('to', dayjs()) };
    for (const f of FIELDS) q[f] = p.get(f) || undefined;
    return q;
  }, [key, days]);
  const set = useCallback(
    (patch: Partial<ReportQuery>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [query, set];
}

/** The period picker and the slice selects of a report, in a card. */
export default function ReportFilterBar({
  query,
  onChange,
  dir,
  fields = FIELDS,
  testId,
}: {
  query: ReportQuery;
  onChange: (patch: Partial<ReportQuery>) => void;
  dir: Directory;
  fields?: ReportFilterField[];
  /** Prefix of the test ids: <testId>-filters and <testId>-range. */
  testId?: string;
}) {
  const { t } = useTranslation();
  const select = (field: ReportFilterField, width: number, options: { value: string; label: string }[], search = false) =>
    fields.includes(field) && (
      <Select
        key={field}
        allowClear
        showSearch={search ? { optionFilterProp: 'label' } : undefined}
        placeholder={t(`reports.kpi.filter.${field.replace('_id', '')}`)}
        style={{ width }}
        value={query[field]}
        onChange={(v?: string) => onChange({ [field]: v })}
        options={options}
      />
    );
  return (
    <Card variant="borderless" style={{ marginBottom: 16 }} styles={{ body: { padding: '12px 16px' } }}>
      <Space wrap size={[12, 8]} data-testid={testId ? `${testId}-filters` : undefined}>
        <DatePicker.RangePicker
          value={[dayjs(query.from), dayjs(query.to)]}
          allowClear={false}
          disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          presets={[7, 30, 90].map((n) => ({ label: t('common.lastDays', { n }), value: [dayjs().subtract(n - 1, 'day'), dayjs()] as [Dayjs, Dayjs] }))}
          onChange={(v) => v?.[0] && v[1] && onChange({ from: fmt(v[0]), to: fmt(v[1]) })}
          data-testid={testId ? `${testId}-range` : undefined}
        />
        {select(
          'channel',
          130,
          CHANNELS.map((c) => ({ value: c, label: channelLabel(t, c) })),
        )}
        {select(
          'team_id',
          150,
          dir.teams.map((x) => ({ value: x.id, label: x.name })),
          true,
        )}
        {select(
          'agent_id',
          150,
          dir.agents.map((x) => ({ value: x.id, label: x.name })),
          true,
        )}
        {select('intent', 140, intentOptions(t))}
        {select(
          'tier',
          140,
          TIERS.map((x) => ({ value: x, label: t(`reports.kpi.tier.${x}`) })),
        )}
      </Space>
    </Card>
  );
}
