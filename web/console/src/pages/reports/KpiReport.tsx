import { useMemo, useState } from 'react';
import { App, Button, Card, Col, Row, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../../api/client';
import type { KpiAgentRow, KpiReport, KpiSummary, KpiTeamRow, KpiTrends } from '../../api/types';
import KpiCard from '../../components/KpiCard';
import PageHeader from '../../components/PageHeader';
import { saveBlob } from '../../lib/download';
import { errorText, useApiError } from '../../lib/errors';
import { fmtDuration, fmtShare } from '../../lib/format';
import { useApiGet } from '../../lib/useApiGet';
import { useDirectory } from '../../lib/useDirectory';
import KpiDrill from './KpiDrill';
import type { KpiMeasure } from './KpiDrill';
import KpiTrendsSection from './KpiTrends';
import ReportBody from './ReportBody';
import ReportFilterBar, { useReportQuery } from './ReportFilters';
import { judge, MINUTE_NS, targetAtLeast, targetAtMost, targetCount, targetMinutes } from './targets';
import type { CardSpec } from './targets';

interface MeasuredCard extends CardSpec {
  measure?: KpiMeasure;
}

const ignore = () => {};

/** The CSV exports: the conversations of the period, and the figures per agent and per team. */
type ExportKind = 'conversations' | 'agents' | 'teams';
const EXPORTS: Record<ExportKind, { path: string; format?: 'csv'; filename: string }> = {
  conversations: { path: '/reports/kpi/export', filename: 'kefu-conversations.csv' },
  agents: { path: '/reports/kpi/agents', format: 'csv', filename: 'kefu-agents.csv' },
  teams: { path: '/reports/kpi/teams', format: 'csv', filename: 'kefu-teams.csv' },
};

/** A row of figures per agent or per team. */
type SummaryRow = { summary: KpiSummary };

/** Service KPIs over a period, against the workspace's targets, with drill-downs and per-agent and per-team figures. */
export default function KpiReportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const dir = useDirectory(ignore);
  const [query, set] = useReportQuery(30);
  const [drill, setDrill] = useState<KpiMeasure | null>(null);
  const [exporting, setExporting] = useState<'' | ExportKind>('');

  const report = useApiGet<KpiReport>(withQuery('/reports/kpi', query));
  const agents = useApiGet<{ items: KpiAgentRow[] | null }>(withQuery('/reports/kpi/agents', { ...query, format: 'json' }));
  const teams = useApiGet<{ items: KpiTeamRow[] | null }>(withQuery('/reports/kpi/teams', { ...query, format: 'json' }));
  const trends = useApiGet<KpiTrends>(withQuery('/reports/kpi/trends', query));
  const reload = () => {
    void report.reload();
    void agents.reload();
    void teams.reload();
    void trends.reload();
  };

  const exportCsv = async (kind: ExportKind) => {
    const e = EXPORTS[kind];
    setExporting(kind);
    try {
      const { blob, filename } = await api.download(e.path, e.format ? { ...query, format: e.format } : query, e.filename);
      saveBlob(blob, filename);
      message.success(t('reports.kpi.exported', { name: filename }));
    } catch (err) {
      showError(err);
    } finally {
      setExporting('');
    }
  };

  const cards = useMemo<MeasuredCard[]>(() => {
    const s = report.data?.summary;
    const q = report.data?.queue;
    const tg = report.data?.targets;
    if (!s || !q || !tg) return [];
    const pct = (share: number, d: number) => fmtShare(share, d);
    const counts = (key: string, n: number, d: number) => t(`reports.kpi.of.${key}`, { n, d });
    const answeredTurns = s.turns - s.unanswered_turns;
    return [
      {
        key: 'frt',
        title: t('reports.kpi.card.frt'),
        help: t('reports.kpi.help.frt'),
        value: s.frt_answered > 0 ? fmtDuration(s.frt_median) : '—',
        sub: t('reports.kpi.sub.frt', {
          p90: s.frt_answered > 0 ? fmtDuration(s.frt_p90) : '—',
          within: pct(s.frt_within?.['3m'] ?? 0, s.frt_owed),
          answered: s.frt_answered,
          owed: s.frt_owed,
        }),
        target: targetMinutes(t, tg.frt_minutes),
        status: judge(s.frt_median, s.frt_answered, tg.frt_minutes * MINUTE_NS, 'max'),
        measure: 'frt_over_3m',
      },
      {
        key: 'avg-response',
        title: t('reports.kpi.card.avgResponse'),
        help: t('reports.kpi.help.avgResponse', { capped: s.turns > 0 ? fmtDuration(s.avg_response_capped) : '—' }),
        value: answeredTurns > 0 ? fmtDuration(s.avg_response) : '—',
        sub: t('reports.kpi.sub.avgResponse', {
          within: pct(s.turns_within?.['3m'] ?? 0, s.turns),
          unanswered: s.unanswered_turns,
          turns: s.turns,
        }),
        measure: 'unanswered_turns',
      },
      {
        key: 'resolution',
        title: t('reports.kpi.card.resolution'),
        help: t('reports.kpi.help.resolution'),
        value: s.resolved > 0 ? fmtDuration(s.resolution_median) : '—',
        sub: counts('resolved', s.resolved, s.conversations),
        measure: 'unresolved',
      },
      {
        key: 'aht',
        title: t('reports.kpi.card.aht'),
        help: t('reports.kpi.help.aht'),
        value: s.handled > 0 ? fmtDuration(s.aht) : '—',
        sub: counts('handled', s.handled, s.resolved),
        measure: 'all',
      },
      {
        key: 'fcr',
        title: t('reports.kpi.card.fcr'),
        help: t('reports.kpi.help.fcr'),
        value: pct(s.fcr, s.resolved),
        sub: counts('resolved', s.fcr_count, s.resolved),
        target: targetAtLeast(t, tg.fcr),
        status: judge(s.fcr, s.resolved, tg.fcr, 'min'),
        measure: 'not_fcr',
      },
      {
        key: 'repeat',
        title: t('reports.kpi.card.repeat'),
        help: t('reports.kpi.help.repeat'),
        value: pct(s.repeat_rate, s.contacts_resolved),
        sub: counts('contacts', s.repeat_contacts, s.contacts_resolved),
        target: targetAtMost(t, tg.repeat_rate),
        status: judge(s.repeat_rate, s.contacts_resolved, tg.repeat_rate, 'max'),
        measure: 'repeat_contact',
      },
      {
        key: 'escalation',
        title: t('reports.kpi.card.escalation'),
        help: t('reports.kpi.help.escalation'),
        value: pct(s.escalation_rate, s.conversations),
        sub: counts('conversations', s.escalated, s.conversations),
        target: targetAtMost(t, tg.escalation_rate),
        status: judge(s.escalation_rate, s.conversations, tg.escalation_rate, 'max'),
        measure: 'escalated',
      },
      {
        key: 'transfer',
        title: t('reports.kpi.card.transfer'),
        help: t('reports.kpi.help.transfer'),
        value: pct(s.transfer_rate, s.conversations),
        sub: counts('conversations', s.transferred, s.conversations),
        measure: 'transferred',
      },
      {
        key: 'sla',
        title: t('reports.kpi.card.sla'),
        help: t('reports.kpi.help.sla'),
        value: pct(s.sla_compliance, s.sla_targets),
        sub: counts('slaTargets', s.sla_met, s.sla_targets),
        measure: 'sla_missed',
      },
      {
        key: 'csat',
        title: t('reports.kpi.card.csat'),
        help: t('reports.kpi.help.csat'),
        value: pct(s.csat, s.csat_answers),
        sub: t('reports.kpi.sub.csat', { mean: s.csat_answers > 0 ? s.csat_mean.toFixed(2) : '—', n: s.csat_answers }),
        target: targetAtLeast(t, tg.csat),
        status: judge(s.csat, s.csat_answers, tg.csat, 'min'),
        measure: 'csat_low',
      },
      {
        key: 'nps',
        title: t('reports.kpi.card.nps'),
        help: t('reports.kpi.help.nps'),
        value: s.nps_answers > 0 ? s.nps.toFixed(1) : '—',
        sub: t('reports.kpi.sub.answers', { n: s.nps_answers }),
        measure: 'nps_detractor',
      },
      {
        key: 'containment',
        title: t('reports.kpi.card.containment'),
        help: t('reports.kpi.help.containment'),
        value: pct(s.bot_containment, s.bot_started),
        sub: counts('botStarted', s.bot_contained, s.bot_started),
        measure: 'bot_not_contained',
      },
      {
        key: 'coverage',
        title: t('reports.kpi.card.coverage'),
        help: t('reports.kpi.help.coverage'),
        value: pct(s.coverage_3m, s.customer_messages),
        sub: counts('messages', s.covered_3m, s.customer_messages),
        target: targetAtLeast(t, tg.coverage),
        status: judge(s.coverage_3m, s.customer_messages, tg.coverage, 'min'),
        measure: 'coverage_missed',
      },
      {
        key: 'queue',
        title: t('reports.kpi.card.queue'),
        help: tg.peak_queue > 0 ? t('reports.kpi.help.queue', { target: targetCount(t, tg.peak_queue) }) : t('reports.kpi.help.queueNoTarget'),
        value: q.waiting,
        sub: t('reports.kpi.sub.queue', { wait: q.waiting > 0 ? fmtDuration(q.longest_wait_ms * 1e6) : '—' }),
        target: targetCount(t, tg.peak_queue),
        status: judge(q.waiting, 1, tg.peak_queue, 'max'),
      },
    ];
  }, [report.data, t]);

  const agentName = (id: string) => (id ? dir.agentName(id) || id : t('reports.kpi.unassigned'));
  const teamName = (id: string) => (id ? dir.teamName(id) || id : t('queue.unteamed'));

  /** The figures of a per-agent or per-team table, after its first column (who or which team). */
  const summaryColumns = <T extends SummaryRow>(first: TableColumnsType<T>[number]): TableColumnsType<T> => {
    const num = (pick: (s: KpiSummary) => number) => (a: T, b: T) => pick(a.summary) - pick(b.summary);
    return [
      first,
      {
        title: t('reports.kpi.col.conversations'),
        key: 'conversations',
        align: 'right',
        sorter: num((s) => s.conversations),
        defaultSortOrder: 'descend',
        render: (_, r) => r.summary.conversations,
      },
      {
        title: t('reports.kpi.col.frtMedian'),
        key: 'frt',
        align: 'right',
        sorter: num((s) => s.frt_median),
        render: (_, r) => (r.summary.frt_answered > 0 ? fmtDuration(r.summary.frt_median) : '—'),
      },
      { title: t('reports.kpi.card.aht'), key: 'aht', align: 'right', sorter: num((s) => s.aht), render: (_, r) => (r.summary.handled > 0 ? fmtDuration(r.summary.aht) : '—') },
      { title: t('reports.kpi.col.fcr'), key: 'fcr', align: 'right', sorter: num((s) => s.fcr), render: (_, r) => fmtShare(r.summary.fcr, r.summary.resolved) },
      { title: t('reports.kpi.col.csat'), key: 'csat', align: 'right', sorter: num((s) => s.csat), render: (_, r) => fmtShare(r.summary.csat, r.summary.csat_answers) },
      {
        title: t('reports.kpi.col.sla'),
        key: 'sla',
        align: 'right',
        sorter: num((s) => s.sla_compliance),
        render: (_, r) => fmtShare(r.summary.sla_compliance, r.summary.sla_targets),
      },
    ];
  };
  const agentColumns = summaryColumns<KpiAgentRow>({ title: t('reports.kpi.col.agent'), key: 'agent', render: (_, r) => agentName(r.agent_id) });
  const teamColumns = summaryColumns<KpiTeamRow>({
    title: t('reports.kpi.col.team'),
    key: 'team',
    render: (_, r) => <span data-testid="kpi-team-name">{teamName(r.team_id)}</span>,
  });

  const filterBar = <ReportFilterBar query={query} onChange={set} dir={dir} testId="kpi" />;

  const header = (
    <PageHeader
      title={t('reports.kpi.title')}
      sub={t('reports.kpi.sub.page')}
      extra={
        <>
          <Button icon={<DownloadOutlined />} loading={exporting === 'conversations'} onClick={() => void exportCsv('conversations')} data-testid="kpi-export">
            {t('reports.kpi.exportConversations')}
          </Button>
          <Button icon={<DownloadOutlined />} loading={exporting === 'agents'} onClick={() => void exportCsv('agents')} data-testid="kpi-export-agents">
            {t('reports.kpi.exportAgents')}
          </Button>
          <Button icon={<DownloadOutlined />} loading={exporting === 'teams'} onClick={() => void exportCsv('teams')} data-testid="kpi-export-teams">
            {t('reports.kpi.exportTeams')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={reload} loading={report.loading}>
            {t('common.refresh')}
          </Button>
        </>
      }
    />
  );

  return (
    <div data-testid="kpi-report">
      {header}
      {filterBar}
      <ReportBody data={report.data} error={report.error} reload={report.reload}>
        {(data) => (
          <>
            <Row gutter={[16, 16]}>
              {cards.map((c) => (
                <Col key={c.key} xs={24} sm={12} lg={8} xxl={6}>
                  <KpiCard
                    testId={`kpi-${c.key}`}
                    title={c.title}
                    help={c.help}
                    value={c.value}
                    sub={c.sub}
                    target={c.target}
                    status={c.status}
                    onOpen={c.measure ? () => setDrill(c.measure!) : undefined}
                  />
                </Col>
              ))}
            </Row>
            <Typography.Text type="secondary" style={{ display: 'block', margin: '12px 0 0', fontSize: 12 }} data-testid="report-period">
              {t('reports.kpi.period', { from: query.from, to: query.to, n: data.summary.conversations })}
            </Typography.Text>
          </>
        )}
      </ReportBody>
      <BreakdownCard<KpiAgentRow>
        title={t('reports.kpi.byAgent')}
        rows={agents}
        rowKey={(r) => r.agent_id || '-'}
        columns={agentColumns}
        testId="kpi-agents"
      />
      <BreakdownCard<KpiTeamRow>
        title={t('reports.kpi.byTeam')}
        rows={teams}
        rowKey={(r) => r.team_id || '-'}
        columns={teamColumns}
        testId="kpi-teams"
      />
      <KpiTrendsSection data={trends.data} error={trends.error} />
      <KpiDrill measure={drill} query={query} dir={dir} onChange={setDrill} onClose={() => setDrill(null)} />
    </div>
  );
}

/** A table of figures per agent or per team, or the error that kept it from loading. */
function BreakdownCard<Row extends object>(props: {
  title: string;
  rows: { data: { items: Row[] | null } | null; error: unknown; loading: boolean };
  rowKey: (r: Row) => string;
  columns: TableColumnsType<Row>;
  testId: string;
}) {
  const { t } = useTranslation();
  const { rows } = props;
  return (
    <Card variant="borderless" title={props.title} style={{ marginTop: 16 }}>
      {rows.error ? (
        <Typography.Text type="danger">{errorText(rows.error, t)}</Typography.Text>
      ) : (
        <Table<Row>
          rowKey={props.rowKey}
          size="middle"
          columns={props.columns}
          dataSource={rows.data?.items ?? []}
          loading={rows.loading}
          pagination={false}
          data-testid={props.testId}
        />
      )}
    </Card>
  );
}
