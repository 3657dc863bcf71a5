// Today so far, live: the day's headline figures against the same time on the
// same day last week and the service targets, conversations hour by hour, and
// the teams' queues as they are now (GET /reports/live, every 30 seconds).
import { useEffect, useMemo } from 'react';
import { Alert, Card, Col, Empty, Row, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { KpiLive, KpiTrendPoint, QueueTeam } from '../../api/types';
import Chart, { CHART_COLORS } from '../../components/Chart';
import type { ChartOption } from '../../components/Chart';
import KpiCard from '../../components/KpiCard';
import PageHeader from '../../components/PageHeader';
import RefreshButton from '../../components/RefreshButton';
import { errorText } from '../../lib/errors';
import { fmtDuration, fmtShare } from '../../lib/format';
import { useApiGet } from '../../lib/useApiGet';
import ReportBody from './ReportBody';
import { judge, MINUTE_NS, targetAtLeast, targetCount, targetMinutes } from './targets';
import type { CardSpec } from './targets';

const REFRESH_MS = 30_000;
const HOUR_MS = 3_600_000;
const CHART_HEIGHT = 300;
/** Waits from which the queue table warns (5 min) and alarms (15 min), in ms, as the queue monitor does. */
const WAIT_WARN_MS = 5 * 60_000;
const WAIT_DANGER_MS = 15 * 60_000;
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

const AXIS_LABEL = { color: 'rgba(0,0,0,0.45)' };

/**
 * The wall-clock time (HH:mm:ss) of instant in the time zone of ref, an RFC 3339 time with its offset
 * (the workspace's midnight), so that "updated at" reads in the same zone as the day and its hours.
 */
function clockIn(instant: string, ref: string): string {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(ref);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const ms = Date.parse(instant);
  return Number.isFinite(ms) ? new Date(ms + offsetMin * 60_000).toISOString().slice(11, 19) : '';
}

/** A count change with its sign: "+12", "-3", "±0". */
const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `-${-n}` : '±0');

/** A queue's team, or "No team" for the conversations without one. */
const teamName = (t: TFunction, q: QueueTeam) => (q.team_id ? q.team_name : t('queue.unteamed'));


/** The "Today live" dashboard: today since midnight, refreshed every 30 seconds. */
export default function KpiLivePage() {
  const { t } = useTranslation();
  const { data, error, loading, reload } = useApiGet<KpiLive>('/reports/live');

  useEffect(() => {
    const id = window.setInterval(() => void reload(), REFRESH_MS);
    return () => window.clearInterval(id);
  }, [reload]);

  const queues = useMemo(() => data?.queues ?? [], [data]);
  const canSeeQueues = queues.length > 0; // the server sends none to a reader who may not see them
  const queueTotals = useMemo(() => {
    let waiting = 0;
    let longest = 0;
    let longestTeam: QueueTeam | null = null;
    let busy = 0;
    for (const q of queues) {
      waiting += q.waiting;
      if (q.waiting > 0) busy++;
      if (q.waiting > 0 && q.longest_wait_ms >= longest) {
        longest = q.longest_wait_ms;
        longestTeam = q;
      }
    }
    const online = data?.agents?.online ?? 0;
    const free = data?.agents?.free_chat_places ?? 0;
    return { waiting, longest, longestTeam, online, free, busy };
  }, [queues, data]);

  const cards = useMemo<CardSpec[]>(() => {
    if (!data) return [];
    const s = data.today;
    const w = data.last_week;
    const tg = data.targets;
    const hidden = t('reports.live.sub.queuesHidden');
    const q = queueTotals;
    return [
      {
        key: 'conversations',
        title: t('reports.live.card.conversations'),
        help: t('reports.live.help.conversations'),
        value: s.conversations,
        sub: t('reports.live.sub.conversations', { delta: signed(s.conversations - w.conversations), last: w.conversations }),
      },
      {
        key: 'frt',
        title: t('reports.live.card.frt'),
        help: t('reports.live.help.frt'),
        value: s.frt_answered > 0 ? fmtDuration(s.frt_median) : '—',
        sub:
          s.frt_answered > 0
            ? t('reports.live.sub.frt', {
                within: fmtShare(s.frt_within?.['3m'] ?? 0, s.frt_owed),
                last: w.frt_answered > 0 ? fmtDuration(w.frt_median) : '—',
              })
            : t('reports.live.sub.noReplies'),
        target: targetMinutes(t, tg.frt_minutes),
        status: judge(s.frt_median, s.frt_answered, tg.frt_minutes * MINUTE_NS, 'max'),
      },
      {
        key: 'resolved',
        title: t('reports.live.card.resolved'),
        help: t('reports.live.help.resolved'),
        value: s.resolved,
        sub:
          s.resolved > 0
            ? t('reports.live.sub.resolved', { share: fmtShare(s.resolved / s.conversations, s.conversations), last: w.resolved })
            : t('reports.live.sub.noResolved'),
      },
      {
        key: 'fcr',
        title: t('reports.live.card.fcr'),
        help: t('reports.live.help.fcr'),
        value: fmtShare(s.fcr, s.resolved),
        sub: s.resolved > 0 ? t('reports.kpi.of.resolved', { n: s.fcr_count, d: s.resolved }) : t('reports.live.sub.noResolved'),
        target: targetAtLeast(t, tg.fcr),
        status: judge(s.fcr, s.resolved, tg.fcr, 'min'),
      },
      {
        key: 'csat',
        title: t('reports.live.card.csat'),
        help: t('reports.live.help.csat'),
        value: fmtShare(s.csat, s.csat_answers),
        sub: s.csat_answers > 0 ? t('reports.kpi.sub.csat', { mean: s.csat_mean.toFixed(2), n: s.csat_answers }) : t('reports.live.sub.noRatings'),
        target: targetAtLeast(t, tg.csat),
        status: judge(s.csat, s.csat_answers, tg.csat, 'min'),
      },
      {
        key: 'waiting',
        title: t('reports.live.card.waiting'),
        help: t('reports.live.help.waiting'),
        value: canSeeQueues ? q.waiting : '—',
        sub: !canSeeQueues ? hidden : q.waiting > 0 ? t('reports.live.sub.waiting', { n: q.busy }) : t('reports.live.sub.nobodyWaiting'),
        target: canSeeQueues ? targetCount(t, tg.peak_queue) : undefined,
        status: canSeeQueues ? judge(q.waiting, 1, tg.peak_queue, 'max') : 'none',
      },
      {
        key: 'longest-wait',
        title: t('reports.live.card.longestWait'),
        help: t('reports.live.help.longestWait'),
        value: canSeeQueues && q.waiting > 0 ? fmtDuration(q.longest * 1e6) : '—',
        sub: !canSeeQueues
          ? hidden
          : q.longestTeam
            ? t('reports.live.sub.longestWait', { team: teamName(t, q.longestTeam) })
            : t('reports.live.sub.nobodyWaiting'),
      },
      {
        key: 'agents-online',
        title: t('reports.live.card.agentsOnline'),
        help: t('reports.live.help.agentsOnline'),
        value: canSeeQueues ? q.online : '—',
        sub: canSeeQueues ? t('reports.live.sub.agentsOnline', { n: q.free }) : hidden,
      },
    ];
  }, [data, queueTotals, canSeeQueues, t]);

  const hourly = useMemo(() => {
    const today = data?.hourly_today ?? [];
    const lastWeek = data?.hourly_last_week ?? [];
    const byKey = (points: KpiTrendPoint[]) => new Map(points.map((p) => [p.key, p.conversations]));
    const todayBy = byKey(today);
    const lastBy = byKey(lastWeek);
    // The hour of day it is now in the workspace's time zone: from is its midnight.
    const elapsed = data ? Math.floor((Date.parse(data.to) - Date.parse(data.from)) / HOUR_MS) : 23;
    const nowHour = Math.min(23, Math.max(0, Number.isFinite(elapsed) ? elapsed : 23));
    return {
      today: HOURS.map((h, i) => (i <= nowHour ? (todayBy.get(h) ?? 0) : null)),
      lastWeek: HOURS.map((h) => lastBy.get(h) ?? 0),
      any: today.some((p) => p.conversations > 0) || lastWeek.some((p) => p.conversations > 0),
    };
  }, [data]);

  const chartOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (typeof v === 'number' ? String(v) : '—') },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 8 },
      grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
      xAxis: {
        type: 'category',
        data: HOURS,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#d9d9d9' } },
        axisLabel: AXIS_LABEL,
      },
      yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } }, axisLabel: AXIS_LABEL },
      series: [
        {
          name: t('reports.live.today'),
          type: 'bar',
          barMaxWidth: 24,
          data: hourly.today,
          itemStyle: { color: CHART_COLORS[0], borderRadius: [3, 3, 0, 0] },
        },
        {
          name: t('reports.live.lastWeek'),
          type: 'line',
          smooth: true,
          symbolSize: 5,
          data: hourly.lastWeek,
          itemStyle: { color: CHART_COLORS[1] },
          lineStyle: { type: 'dashed', width: 2 },
        },
      ],
    }),
    [hourly, t],
  );

  const columns: TableColumnsType<QueueTeam> = [
    {
      title: t('reports.live.col.team'),
      key: 'team',
      render: (_, q) => (
        <span style={{ display: 'inline-flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
          <span data-testid="live-queue-team">{teamName(t, q)}</span>
          {q.team_id && !q.auto_assign && (
            <Tag color="orange" bordered={false}>
              {t('queue.pausedTag')}
            </Tag>
          )}
        </span>
      ),
    },
    {
      title: t('reports.live.col.waiting'),
      dataIndex: 'waiting',
      align: 'right',
      render: (n: number) => (n > 0 ? <Typography.Text strong>{n}</Typography.Text> : n),
    },
    {
      title: t('reports.live.col.longestWait'),
      key: 'longest',
      align: 'right',
      render: (_, q) =>
        q.waiting > 0 ? (
          <Typography.Text type={q.longest_wait_ms >= WAIT_DANGER_MS ? 'danger' : q.longest_wait_ms >= WAIT_WARN_MS ? 'warning' : undefined}>
            {fmtDuration(q.longest_wait_ms * 1e6)}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    { title: t('reports.live.col.agentsOnline'), dataIndex: 'agents_online', align: 'right' },
    { title: t('reports.live.col.capacityFree'), dataIndex: 'capacity_free', align: 'right' },
  ];

  const date = data?.from.slice(0, 10) ?? '';
  const updated = data ? clockIn(data.to, data.from) : '';

  return (
    <div data-testid="kpi-live">
      <PageHeader
        title={t('reports.live.title')}
        sub={data ? <span data-testid="live-updated">{t('reports.live.sub.page', { date, time: updated })}</span> : undefined}
        extra={<RefreshButton onRefresh={reload} loading={loading} />}
      />
      {error && data ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('reports.live.refreshFailed', { time: updated, error: errorText(error, t) })}
          data-testid="live-refresh-failed"
        />
      ) : null}
      <ReportBody data={data} error={error} reload={reload}>
        {(live) => (
          <>
            {live.today.conversations === 0 && (
              <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('reports.live.noConversations')} data-testid="live-empty" />
            )}
            <Row gutter={[16, 16]}>
              {cards.map((c) => (
                <Col key={c.key} xs={24} sm={12} lg={8} xl={6}>
                  <KpiCard testId={`live-${c.key}`} title={c.title} help={c.help} value={c.value} sub={c.sub} target={c.target} status={c.status} />
                </Col>
              ))}
            </Row>
            <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
              <Col xs={24} xxl={14}>
                <Card variant="borderless" title={t('reports.live.hourly')} style={{ height: '100%' }}>
                  {hourly.any ? (
                    <Chart option={chartOption} height={CHART_HEIGHT} testId="live-chart-hourly" />
                  ) : (
                    <div style={{ height: CHART_HEIGHT, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
                      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.live.noHourly')} />
                    </div>
                  )}
                </Card>
              </Col>
              <Col xs={24} xxl={10}>
                <Card
                  variant="borderless"
                  title={t('reports.live.queues')}
                  style={{ height: '100%' }}
                  extra={canSeeQueues ? <Link to="/queue">{t('reports.live.openQueue')}</Link> : undefined}
                >
                  {canSeeQueues ? (
                    <Table<QueueTeam>
                      rowKey={(q) => q.team_id || '-'}
                      size="middle"
                      columns={columns}
                      dataSource={queues}
                      pagination={false}
                      data-testid="live-queues"
                    />
                  ) : (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.live.queuesHidden')} data-testid="live-queues-hidden" />
                  )}
                </Card>
              </Col>
            </Row>
          </>
        )}
      </ReportBody>
    </div>
  );
}
