import { useMemo } from 'react';
import type { ComponentProps } from 'react';
import { Button, Card, Col, Empty, Progress, Result, Row, Skeleton, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError, withQuery } from '../../api/client';
import type { BotReport, BotReportIntent } from '../../api/types';
import Chart, { CHART_COLORS } from '../../components/Chart';
import type { ChartOption } from '../../components/Chart';
import DaysPicker, { useDaysParam } from '../../components/DaysPicker';
import IntentTag from '../../components/IntentTag';
import KpiCard, { NoData } from '../../components/KpiCard';
import PageHeader from '../../components/PageHeader';
import { errorText } from '../../lib/errors';
import { fmtPercent, ratio } from '../../lib/format';
import { handoffReasonLabel, HANDOFF_REASONS } from '../../lib/labels';
import { useApiGet } from '../../lib/useApiGet';

const EMPTY: BotReport = {
  from: '',
  to: '',
  turns: 0,
  answered: 0,
  handed_off: 0,
  actions: 0,
  helpful: 0,
  not_helpful: 0,
  no_feedback: 0,
  conversations: 0,
  resolved_by_bot: 0,
  handoff_reasons: {},
  intents: [],
  daily: [],
};

const ANSWERED = CHART_COLORS[0];
const HANDED_OFF = CHART_COLORS[1];
const RATE = CHART_COLORS[2];

/**
 * The first and last day a report covers, as the server counts days (its time
 * zone): the date parts of from and to, to being exclusive at midnight.
 */
function periodDays(r: BotReport, days: number): [string, string] {
  const day = (iso: string) => /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? '';
  let last = day(r.to);
  if (last && /T00:00(:00(\.0+)?)?/.test(r.to)) last = dayjs(last).subtract(1, 'day').format('YYYY-MM-DD');
  if (!last) last = dayjs().format('YYYY-MM-DD');
  const first = day(r.from) || dayjs(last).subtract(days - 1, 'day').format('YYYY-MM-DD');
  return [first, last];
}

/** Every day of the period, so days without turns show as zeros rather than gaps. */
function fillDays(r: BotReport, days: number): { date: string; answered: number; handed_off: number }[] {
  const byDate = new Map((r.daily ?? []).map((d) => [d.date, d]));
  const [first, last] = periodDays(r, days);
  const out = new Map<string, { date: string; answered: number; handed_off: number }>();
  for (let d = dayjs(first); !d.isAfter(dayjs(last), 'day') && out.size < 400; d = d.add(1, 'day')) {
    const key = d.format('YYYY-MM-DD');
    out.set(key, { date: key, answered: 0, handed_off: 0 });
  }
  for (const [key, v] of byDate) out.set(key, { date: key, answered: v.answered ?? 0, handed_off: v.handed_off ?? 0 });
  return [...out.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** How the bot did over the last days: answers, handoffs and why, feedback, and by intent. */
export default function BotReportPage() {
  const { t } = useTranslation();
  const [days, setDays] = useDaysParam(30);
  const { data, loading, error, reload } = useApiGet<BotReport>(withQuery('/reports/bot', { days }));
  const r = useMemo(() => ({ ...EMPTY, ...(data ?? {}) }), [data]);
  const daily = useMemo(() => fillDays(r, days), [r, days]);
  const hasDaily = daily.some((d) => d.answered + d.handed_off > 0);

  const dailyOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 8 },
      grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
      xAxis: {
        type: 'category',
        data: daily.map((d) => dayjs(d.date).format('MM-DD')),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#d9d9d9' } },
        axisLabel: { color: 'rgba(0,0,0,0.45)' },
      },
      yAxis: [
        { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } }, axisLabel: { color: 'rgba(0,0,0,0.45)' } },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', color: 'rgba(0,0,0,0.45)' }, splitLine: { show: false } },
      ],
      series: [
        { name: t('reports.bot.answered'), type: 'bar', stack: 'turns', data: daily.map((d) => d.answered), itemStyle: { color: ANSWERED }, barMaxWidth: 28 },
        {
          name: t('reports.bot.handedOff'),
          type: 'bar',
          stack: 'turns',
          data: daily.map((d) => d.handed_off),
          itemStyle: { color: HANDED_OFF, borderRadius: [3, 3, 0, 0] },
          barMaxWidth: 28,
        },
        {
          name: t('reports.bot.answerRate'),
          type: 'line',
          yAxisIndex: 1,
          smooth: true,
          symbolSize: 5,
          connectNulls: true,
          data: daily.map((d) => ratio(d.answered, d.answered + d.handed_off)),
          itemStyle: { color: RATE },
          tooltip: { valueFormatter: (v) => (typeof v === 'number' ? `${v}%` : '—') },
        },
      ],
    }),
    [daily, t],
  );

  const reasons = useMemo(() => {
    const m = r.handoff_reasons ?? {};
    const keys = [...HANDOFF_REASONS.filter((k) => k in m), ...Object.keys(m).filter((k) => !HANDOFF_REASONS.includes(k))];
    return keys.map((k) => ({ key: k, name: handoffReasonLabel(t, k), value: m[k] ?? 0 })).filter((x) => x.value > 0);
  }, [r.handoff_reasons, t]);

  const pieOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: {
        orient: 'vertical',
        right: 0,
        top: 'middle',
        itemWidth: 10,
        itemHeight: 10,
        type: 'scroll',
        formatter: (name: string) => `${name}  ${reasons.find((x) => x.name === name)?.value ?? ''}`,
      },
      series: [
        {
          type: 'pie',
          radius: ['45%', '72%'],
          center: ['35%', '50%'],
          avoidLabelOverlap: true,
          itemStyle: { borderColor: '#fff', borderWidth: 2 },
          label: { show: false },
          data: reasons.map((x) => ({ name: x.name, value: x.value })),
        },
      ],
    }),
    [reasons],
  );

  const intents = useMemo(() => [...(r.intents ?? [])].sort((a, b) => b.turns - a.turns), [r.intents]);

  const columns: TableColumnsType<BotReportIntent> = [
    { title: t('reports.bot.intent'), dataIndex: 'intent', render: (v: string) => (v ? <IntentTag intent={v} /> : <Typography.Text type="secondary">{t('reports.bot.noIntent')}</Typography.Text>) },
    { title: t('reports.bot.turns'), dataIndex: 'turns', width: 110, align: 'right' },
    { title: t('reports.bot.answered'), dataIndex: 'answered', width: 110, align: 'right' },
    { title: t('reports.bot.handedOff'), dataIndex: 'handed_off', width: 110, align: 'right' },
    {
      title: t('reports.bot.answerRate'),
      key: 'rate',
      width: 220,
      render: (_, row) => {
        const p = ratio(row.answered, row.turns);
        return p === null ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Progress percent={p} size="small" strokeColor={ANSWERED} format={(v) => `${v}%`} style={{ margin: 0 }} />
        );
      },
    },
  ];

  const notFound = error instanceof ApiError && error.status === 404;
  if (error && !data) {
    return (
      <>
        <PageHeader title={t('reports.bot.title')} sub={t('reports.bot.sub')} />
        <Card variant="borderless">
          <Result
            status={notFound ? 'info' : 'warning'}
            title={notFound ? t('reports.unavailable') : t('errors.loadFailed')}
            subTitle={notFound ? t('reports.unavailableHelp') : errorText(error, t)}
            extra={<Button onClick={() => void reload()}>{t('common.retry')}</Button>}
          />
        </Card>
      </>
    );
  }

  const feedback = r.helpful + r.not_helpful;
  const cards: ComponentProps<typeof KpiCard>[] = [
    {
      testId: 'kpi-answer-rate',
      title: t('reports.bot.answerRate'),
      help: t('reports.bot.answerRateHelp'),
      value: fmtPercent(r.answered, r.turns),
      sub: t('reports.bot.answerRateSub', { answered: r.answered, turns: r.turns }),
    },
    {
      testId: 'kpi-helpful-rate',
      title: t('reports.bot.helpfulRate'),
      help: t('reports.bot.helpfulRateHelp'),
      value: fmtPercent(r.helpful, feedback),
      sub: t('reports.bot.helpfulRateSub', { helpful: r.helpful, notHelpful: r.not_helpful, none: r.no_feedback }),
    },
    {
      testId: 'kpi-resolved',
      title: t('reports.bot.resolvedByBot'),
      help: t('reports.bot.resolvedByBotHelp'),
      value: r.resolved_by_bot,
      sub: t('reports.bot.resolvedByBotSub', { rate: fmtPercent(r.resolved_by_bot, r.conversations), n: r.conversations }),
    },
    {
      testId: 'kpi-handed-off',
      title: t('reports.bot.handedOff'),
      help: t('reports.bot.handedOffHelp'),
      value: r.handed_off,
      sub: t('reports.bot.handedOffSub', { rate: fmtPercent(r.handed_off, r.turns), actions: r.actions }),
    },
  ];
  const [first, last] = periodDays(r, days);
  const period = data ? t('reports.period', { from: first, to: last }) : '';

  return (
    <div data-testid="bot-report">
      <PageHeader
        title={t('reports.bot.title')}
        sub={t('reports.bot.sub')}
        extra={
          <>
            <DaysPicker value={days} onChange={setDays} testId="report-days" />
            <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading}>
              {t('common.refresh')}
            </Button>
          </>
        }
      />
      {!data ? (
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      ) : (
        <>
          <Row gutter={[16, 16]}>
            {cards.map((c) => (
              <Col key={c.testId} xs={24} sm={12} xl={6}>
                <KpiCard {...c} />
              </Col>
            ))}
          </Row>
          {period && (
            <Typography.Text type="secondary" style={{ display: 'block', margin: '12px 0 0', fontSize: 12 }} data-testid="report-period">
              {period}
            </Typography.Text>
          )}
          <Row gutter={[16, 16]} style={{ marginTop: 12 }}>
            <Col xs={24} xl={16}>
              <Card variant="borderless" title={t('reports.bot.daily')} style={{ height: '100%' }}>
                {hasDaily ? <Chart option={dailyOption} height={300} testId="chart-daily" /> : <NoData height={300} />}
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card variant="borderless" title={t('reports.bot.reasons')} style={{ height: '100%' }}>
                {reasons.length ? <Chart option={pieOption} height={300} testId="chart-reasons" /> : <NoData height={300} />}
              </Card>
            </Col>
          </Row>
          <Card variant="borderless" title={t('reports.bot.intents')} style={{ marginTop: 16 }}>
            <Table<BotReportIntent>
              rowKey={(row) => row.intent || '-'}
              columns={columns}
              dataSource={intents}
              loading={loading}
              pagination={false}
              size="middle"
              data-testid="report-intents"
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noData')} /> }}
            />
          </Card>
        </>
      )}
    </div>
  );
}
