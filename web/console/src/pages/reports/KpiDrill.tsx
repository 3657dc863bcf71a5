import { useMemo } from 'react';
import { Alert, Drawer, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { withQuery } from '../../api/client';
import type { KpiFacts } from '../../api/types';
import IntentTag from '../../components/IntentTag';
import { errorText } from '../../lib/errors';
import { fmtDuration, fmtTime } from '../../lib/format';
import type { Directory } from '../../lib/useDirectory';
import { useApiGet } from '../../lib/useApiGet';

/** The server's drill-down measures (reports.Measures), in the order the picker lists them. */
export const KPI_MEASURES = [
  'all',
  'frt_missed',
  'frt_over_3m',
  'unanswered_turns',
  'unresolved',
  'not_fcr',
  'repeat_contact',
  'transferred',
  'escalated',
  'sla_missed',
  'csat_low',
  'nps_detractor',
  'bot_contained',
  'bot_not_contained',
  'coverage_missed',
] as const;

export type KpiMeasure = (typeof KPI_MEASURES)[number];

export type KpiQuery = Record<string, string | undefined>;

/** The tags that say what stands out in one conversation's facts. */
function flags(t: TFunction, f: KpiFacts) {
  const out: { key: string; color: string; text: string }[] = [];
  const add = (on: boolean, key: string, color: string, text = t(`reports.kpi.flag.${key}`)) => on && out.push({ key, color, text });
  add(f.resolved, 'resolved', 'green');
  add(!f.resolved, 'unresolved', 'default');
  add(f.first_response_owed && f.first_response == null, 'frtMissed', 'red');
  add(f.reopened, 'reopened', 'orange', t('reports.kpi.flag.reopened', { n: f.reopens }));
  add(f.fcr === false, 'notFcr', 'orange');
  add(f.repeat_contact === true, 'repeat', 'orange');
  add(f.transferred, 'transferred', 'blue');
  add(f.escalated, 'escalated', 'red');
  add(f.sla_met < f.sla_targets, 'slaMissed', 'red', t('reports.kpi.flag.slaMissed', { met: f.sla_met, targets: f.sla_targets }));
  add(f.bot_contained, 'botContained', 'cyan');
  add(f.bot_started && !f.bot_contained, 'botNotContained', 'purple');
  add(f.unanswered_turns > 0, 'unanswered', 'gold', t('reports.kpi.flag.unanswered', { n: f.unanswered_turns }));
  add(f.coverage_3m < f.customer_messages, 'coverageMissed', 'gold', t('reports.kpi.flag.coverageMissed', { n: f.coverage_3m, d: f.customer_messages }));
  add(f.csat != null, 'csat', f.csat != null && f.csat <= 3 ? 'red' : 'green', t('reports.kpi.flag.csat', { n: f.csat }));
  add(f.nps != null, 'nps', f.nps != null && f.nps <= 6 ? 'red' : 'green', t('reports.kpi.flag.nps', { n: f.nps }));
  return out;
}

/** A drawer listing the conversations behind one measure (GET /reports/kpi/conversations). */
export default function KpiDrill({
  measure,
  query,
  dir,
  onChange,
  onClose,
}: {
  measure: KpiMeasure | null;
  query: KpiQuery;
  dir: Directory;
  onChange: (m: KpiMeasure) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const path = withQuery('/reports/kpi/conversations', { ...query, measure: measure ?? 'all' });
  const { data, loading, error } = useApiGet<{ items: KpiFacts[] | null; total: number }>(path, !!measure);
  const items = useMemo(() => data?.items ?? [], [data]);

  const columns: TableColumnsType<KpiFacts> = [
    {
      title: t('reports.kpi.col.conversation'),
      dataIndex: 'conversation_id',
      width: 150,
      render: (id: string) => (
        <Link to={`/inbox/${encodeURIComponent(id)}`} data-testid="kpi-drill-link">
          <Typography.Text ellipsis={{ tooltip: id }} style={{ maxWidth: 130, color: 'inherit' }}>
            {id}
          </Typography.Text>
        </Link>
      ),
    },
    { title: t('reports.kpi.col.created'), dataIndex: 'created_at', width: 165, render: (v: string) => fmtTime(v) },
    {
      title: t('reports.kpi.col.agent'),
      dataIndex: 'assignee_id',
      width: 120,
      render: (id: string) => (id ? dir.agentName(id) || id : <Typography.Text type="secondary">{t('reports.kpi.unassigned')}</Typography.Text>),
    },
    { title: t('reports.kpi.col.intent'), dataIndex: 'intent', width: 110, render: (v: string) => (v ? <IntentTag intent={v} /> : '—') },
    { title: t('reports.kpi.col.frt'), dataIndex: 'first_response', width: 100, align: 'right', render: (v?: number | null) => fmtDuration(v) },
    { title: t('reports.kpi.col.resolution'), dataIndex: 'resolution', width: 110, align: 'right', render: (v?: number | null) => fmtDuration(v) },
    {
      title: t('reports.kpi.col.flags'),
      key: 'flags',
      render: (_, f) => (
        <Space size={[0, 4]} wrap>
          {flags(t, f).map((x) => (
            <Tag key={x.key} color={x.color}>
              {x.text}
            </Tag>
          ))}
        </Space>
      ),
    },
  ];

  const total = data?.total ?? 0;
  return (
    <Drawer
      open={!!measure}
      onClose={onClose}
      size={1100}
      title={t('reports.kpi.drillTitle')}
      destroyOnHidden
      data-testid="kpi-drill"
      extra={
        <Select<KpiMeasure>
          value={measure ?? 'all'}
          onChange={onChange}
          style={{ width: 220 }}
          options={KPI_MEASURES.map((m) => ({ value: m, label: t(`reports.kpi.measure.${m}`) }))}
          data-testid="kpi-drill-measure"
        />
      }
    >
      {error ? (
        <Alert type="error" showIcon title={errorText(error, t)} />
      ) : (
        <>
          <Typography.Paragraph type="secondary" data-testid="kpi-drill-total">
            {data
              ? items.length < total
                ? t('reports.kpi.drillTotalSome', { total, n: items.length })
                : t('reports.kpi.drillTotal', { total })
              : ' '}
          </Typography.Paragraph>
          <Table<KpiFacts>
            rowKey="conversation_id"
            size="small"
            columns={columns}
            dataSource={items}
            loading={loading}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
            scroll={{ x: 1000 }}
          />
        </>
      )}
    </Drawer>
  );
}
