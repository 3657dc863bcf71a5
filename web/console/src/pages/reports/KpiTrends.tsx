// The KPI page's detail below its cards: the period by day and by hour of
// day, the top intents and complaint categories against the period before,
// and the ratings with their latest comments (GET /reports/kpi/trends).
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Card, Col, List, Rate, Row, Segmented, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { KpiComment, KpiRank, KpiTrendPoint, KpiTrends } from '../../api/types';
import Chart, { CHART_COLORS } from '../../components/Chart';
import type { ChartOption } from '../../components/Chart';
import IntentTag from '../../components/IntentTag';
import { NoData } from '../../components/KpiCard';
import { complaintCategoryLabel } from '../../lib/complaints';
import { errorText } from '../../lib/errors';
import { fmtTime } from '../../lib/format';

const MINUTE = 60e9; // nanoseconds
const CHART_HEIGHT = 300;
const BAD = '#ff4d4f';
const NEUTRAL = '#bfbfbf';
const GOOD = '#52c41a';
/** How many of the slowest hours the hour-of-day chart marks. */
const WORST_HOURS = 3;
/** How many of the top problems each table highlights. */
const TOP = 2;

const AXIS_LABEL = { color: 'rgba(0,0,0,0.45)' };
const SPLIT_LINE = { lineStyle: { color: '#f0f0f0' } };

/** A category x axis over labels, in the console's chart style. */
const categoryAxis = (labels: string[]) => ({
  type: 'category' as const,
  data: labels,
  axisTick: { show: false },
  axisLine: { lineStyle: { color: '#d9d9d9' } },
  axisLabel: AXIS_LABEL,
});
const countAxis = { type: 'value' as const, minInterval: 1, splitLine: SPLIT_LINE, axisLabel: AXIS_LABEL };
const minutesAxis = { type: 'value' as const, min: 0, axisLabel: { ...AXIS_LABEL, formatter: '{value}m' }, splitLine: { show: false } };
const percentAxis = { type: 'value' as const, min: 0, max: 100, axisLabel: { ...AXIS_LABEL, formatter: '{value}%' }, splitLine: SPLIT_LINE };
const BASE: ChartOption = {
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
  legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 8 },
  grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
};

/** The FRT median of a point in minutes (one decimal), or null when nothing was answered. */
const frtMinutes = (p: KpiTrendPoint) => (p.conversations > 0 && p.frt_median > 0 ? Math.round((p.frt_median / MINUTE) * 10) / 10 : null);
/** A share (0–1) as a percentage with one decimal, or null when its denominator is 0. */
const percent = (share: number, denominator: number) => (denominator > 0 ? Math.round(share * 1000) / 10 : null);
const fmtMinutes = (v: unknown) => (typeof v === 'number' ? `${v}m` : '—');
const fmtPct = (v: unknown) => (typeof v === 'number' ? `${v}%` : '—');

/** The conversations bars and FRT median line of a list of points. */
function volumeSeries(t: TFunction, points: KpiTrendPoint[], barColor?: (p: KpiTrendPoint) => string | undefined): ChartOption['series'] {
  return [
    {
      name: t('reports.kpi.trends.conversations'),
      type: 'bar',
      barMaxWidth: 28,
      data: points.map((p) => {
        const color = barColor?.(p);
        return color ? { value: p.conversations, itemStyle: { color } } : p.conversations;
      }),
      itemStyle: { color: CHART_COLORS[0], borderRadius: [3, 3, 0, 0] },
    },
    {
      name: t('reports.kpi.trends.frtMedian'),
      type: 'line',
      yAxisIndex: 1,
      smooth: true,
      symbolSize: 5,
      connectNulls: true,
      data: points.map(frtMinutes),
      itemStyle: { color: CHART_COLORS[1] },
      tooltip: { valueFormatter: fmtMinutes },
    },
  ];
}

/** The change from previous to count: ▲/▼ with a percentage, or "new" when there was none before. */
function Change({ count, previous }: KpiRank) {
  const { t } = useTranslation();
  if (previous <= 0) {
    return (
      <Tag color="blue" bordered={false} style={{ marginInlineEnd: 0 }}>
        {t('reports.kpi.trends.new')}
      </Tag>
    );
  }
  const pct = Math.round(((count - previous) / previous) * 100);
  if (pct === 0) return <Typography.Text type="secondary">0%</Typography.Text>;
  // More of a problem is worse: rises are red, falls green.
  return <Typography.Text type={pct > 0 ? 'danger' : 'success'}>{`${pct > 0 ? '▲' : '▼'} ${Math.abs(pct)}%`}</Typography.Text>;
}

/** A ranking of problems with this period's count, the period before and the change; the top ones highlighted. */
function RankTable({ title, rows, name, testId }: { title: string; rows: KpiRank[]; name: (key: string) => ReactNode; testId: string }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<KpiRank> = [
    {
      title: '#',
      key: 'rank',
      width: 56,
      render: (_, _r, i) => (i < TOP ? <Tag color="volcano" bordered={false}>{`Top ${i + 1}`}</Tag> : i + 1),
    },
    { title: t('reports.kpi.trends.col.name'), dataIndex: 'key', render: (k: string) => name(k) },
    { title: t('reports.kpi.trends.col.count'), dataIndex: 'count', align: 'right' },
    { title: t('reports.kpi.trends.col.previous'), dataIndex: 'previous', align: 'right' },
    { title: t('reports.kpi.trends.col.change'), key: 'change', align: 'right', render: (_, r) => <Change {...r} /> },
  ];
  return (
    <Card variant="borderless" type="inner" title={title} style={{ height: '100%' }}>
      <Table<KpiRank>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        rowClassName={(_, i) => (i < TOP ? 'kf-trend-top' : '')}
        data-testid={testId}
      />
    </Card>
  );
}

/** One comment of a survey, with its ratings and a link to the conversation. */
function CommentItem({ c }: { c: KpiComment }) {
  const { t } = useTranslation();
  return (
    <List.Item
      extra={
        <Link to={`/inbox/${encodeURIComponent(c.conversation_id)}`} data-testid="kpi-comment-link">
          {t('reports.kpi.trends.openConversation')}
        </Link>
      }
    >
      <List.Item.Meta
        title={
          <span style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', fontWeight: 'normal' }}>
            {c.csat !== undefined && <Rate disabled count={5} value={c.csat} style={{ fontSize: 12 }} />}
            {c.nps !== undefined && (
              <Tag bordered={false} color={c.nps <= 6 ? 'red' : c.nps <= 8 ? 'default' : 'green'}>
                {t('reports.kpi.trends.npsScore', { n: c.nps })}
              </Tag>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {fmtTime(c.at)}
            </Typography.Text>
          </span>
        }
        description={<Typography.Text>{c.comment}</Typography.Text>}
      />
    </List.Item>
  );
}

/** The KPI trends of the period below the KPI cards; trends is the page's load of /reports/kpi/trends. */
export default function KpiTrendsSection({ data, error }: { data: KpiTrends | null; error: unknown }) {
  const { t } = useTranslation();
  const [dailyView, setDailyView] = useState<'volume' | 'quality'>('volume');

  const daily = useMemo(() => data?.daily ?? [], [data]);
  const hourly = useMemo(() => data?.hourly ?? [], [data]);
  const hasDaily = daily.some((p) => p.conversations > 0);
  const hasHourly = hourly.some((p) => p.conversations > 0);

  const dailyOption = useMemo<ChartOption>(() => {
    const x = categoryAxis(daily.map((p) => dayjs(p.key).format('MM-DD')));
    if (dailyView === 'volume') return { ...BASE, xAxis: x, yAxis: [countAxis, minutesAxis], series: volumeSeries(t, daily) };
    const line = (name: string, color: string, data: (number | null)[]) => ({
      name,
      type: 'line' as const,
      smooth: true,
      symbolSize: 5,
      connectNulls: true,
      data,
      itemStyle: { color },
      tooltip: { valueFormatter: fmtPct },
    });
    return {
      ...BASE,
      tooltip: { trigger: 'axis' },
      xAxis: x,
      yAxis: percentAxis,
      series: [
        line(t('reports.kpi.trends.fcr'), CHART_COLORS[2], daily.map((p) => percent(p.fcr, p.resolved))),
        line(t('reports.kpi.trends.csat'), CHART_COLORS[3], daily.map((p) => percent(p.csat, p.csat_answers))),
      ],
    };
  }, [daily, dailyView, t]);

  /** The slowest hours by FRT median, slowest first; none when every hour is as fast as the fastest. */
  const worst = useMemo(() => {
    const answered = hourly.filter((p) => frtMinutes(p) !== null);
    const fastest = Math.min(...answered.map((p) => p.frt_median));
    return answered
      .filter((p) => p.frt_median > fastest)
      .sort((a, b) => b.frt_median - a.frt_median)
      .slice(0, WORST_HOURS)
      .map((p) => p.key);
  }, [hourly]);

  const hourlyOption = useMemo<ChartOption>(
    () => ({
      ...BASE,
      xAxis: categoryAxis(hourly.map((p) => p.key)),
      yAxis: [countAxis, minutesAxis],
      series: volumeSeries(t, hourly, (p) => (worst.includes(p.key) ? BAD : undefined)),
    }),
    [hourly, worst, t],
  );

  const csatOption = useMemo<ChartOption>(() => {
    const d = data?.csat_distribution ?? [];
    return {
      ...BASE,
      legend: undefined,
      grid: { ...BASE.grid, top: 12 },
      xAxis: categoryAxis([1, 2, 3, 4, 5].map((n) => `${n}★`)),
      yAxis: countAxis,
      series: [
        {
          name: t('reports.kpi.trends.answers'),
          type: 'bar',
          barMaxWidth: 36,
          data: d.map((n, i) => ({ value: n, itemStyle: { color: i <= 1 ? BAD : i === 2 ? NEUTRAL : GOOD } })),
          itemStyle: { borderRadius: [3, 3, 0, 0] },
        },
      ],
    };
  }, [data, t]);

  const npsOption = useMemo<ChartOption>(() => {
    const d = data?.nps_distribution ?? [];
    return {
      ...BASE,
      legend: undefined,
      grid: { ...BASE.grid, top: 12 },
      xAxis: categoryAxis(d.map((_, i) => String(i))),
      yAxis: countAxis,
      series: [
        {
          name: t('reports.kpi.trends.answers'),
          type: 'bar',
          barMaxWidth: 28,
          data: d.map((n, i) => ({ value: n, itemStyle: { color: i <= 6 ? BAD : i <= 8 ? NEUTRAL : GOOD } })),
          itemStyle: { borderRadius: [3, 3, 0, 0] },
        },
      ],
    };
  }, [data, t]);

  if (error && !data) {
    return (
      <Card variant="borderless" style={{ marginTop: 16 }}>
        <Typography.Text type="danger">{errorText(error, t)}</Typography.Text>
      </Card>
    );
  }
  if (!data) {
    return (
      <Card variant="borderless" style={{ marginTop: 16 }}>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  }

  const csatTotal = (data.csat_distribution ?? []).reduce((a, b) => a + b, 0);
  const npsTotal = (data.nps_distribution ?? []).reduce((a, b) => a + b, 0);
  const comments = data.comments ?? [];
  const sep = t('common.listSep');

  return (
    <div data-testid="kpi-trends">
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={14}>
          <Card
            variant="borderless"
            title={t('reports.kpi.trends.daily')}
            style={{ height: '100%' }}
            extra={
              <Segmented<'volume' | 'quality'>
                size="small"
                value={dailyView}
                onChange={setDailyView}
                options={[
                  { value: 'volume', label: t('reports.kpi.trends.viewVolume') },
                  { value: 'quality', label: t('reports.kpi.trends.viewQuality') },
                ]}
                data-testid="kpi-trends-daily-view"
              />
            }
          >
            {hasDaily ? <Chart option={dailyOption} height={CHART_HEIGHT} testId="kpi-chart-daily" /> : <NoData height={CHART_HEIGHT} />}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card variant="borderless" title={t('reports.kpi.trends.hourly')} style={{ height: '100%' }}>
            {hasHourly ? (
              <>
                <Chart option={hourlyOption} height={CHART_HEIGHT - 22} testId="kpi-chart-hourly" />
                {worst.length > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="kpi-worst-hours">
                    {t('reports.kpi.trends.worstHours', { hours: worst.map((h) => `${h}:00`).join(sep) })}
                  </Typography.Text>
                )}
              </>
            ) : (
              <NoData height={CHART_HEIGHT} />
            )}
          </Card>
        </Col>
      </Row>

      <Card variant="borderless" title={t('reports.kpi.trends.problems')} style={{ marginTop: 16 }}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('reports.kpi.trends.problemsHelp', { n: TOP })}
        </Typography.Paragraph>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <RankTable
              title={t('reports.kpi.trends.intents')}
              rows={data.intents ?? []}
              name={(k) => <IntentTag intent={k} />}
              testId="kpi-top-intents"
            />
          </Col>
          <Col xs={24} xl={12}>
            <RankTable
              title={t('reports.kpi.trends.complaints')}
              rows={data.complaints ?? []}
              name={(k) => complaintCategoryLabel(t, k)}
              testId="kpi-top-complaints"
            />
          </Col>
        </Row>
      </Card>

      <Card variant="borderless" title={t('reports.kpi.trends.ratings')} style={{ marginTop: 16 }}>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12} xl={8}>
            <Typography.Text strong>{t('reports.kpi.trends.csatDistribution', { n: csatTotal })}</Typography.Text>
            {csatTotal > 0 ? <Chart option={csatOption} height={220} testId="kpi-chart-csat" /> : <NoData height={220} />}
          </Col>
          <Col xs={24} lg={12} xl={8}>
            <Typography.Text strong>{t('reports.kpi.trends.npsDistribution', { n: npsTotal })}</Typography.Text>
            {npsTotal > 0 ? (
              <>
                <Chart option={npsOption} height={220} testId="kpi-chart-nps" />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('reports.kpi.trends.npsLegend')}
                </Typography.Text>
              </>
            ) : (
              <NoData height={220} />
            )}
          </Col>
          <Col xs={24} xl={8}>
            <Typography.Text strong>{t('reports.kpi.trends.comments', { n: comments.length })}</Typography.Text>
            {comments.length > 0 ? (
              <List<KpiComment>
                size="small"
                dataSource={comments}
                rowKey={(c) => `${c.conversation_id}-${c.at}`}
                renderItem={(c) => <CommentItem c={c} />}
                pagination={comments.length > 5 ? { pageSize: 5, size: 'small', align: 'end' } : false}
                data-testid="kpi-comments"
              />
            ) : (
              <NoData height={220} />
            )}
          </Col>
        </Row>
      </Card>
    </div>
  );
}
