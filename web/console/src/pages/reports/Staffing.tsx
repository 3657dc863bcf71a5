import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, InputNumber, Radio, Row, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CalculatorOutlined, DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../../api/client';
import type { StaffingPlan, StaffingReport } from '../../api/types';
import Chart, { CHART_COLORS } from '../../components/Chart';
import type { ChartOption } from '../../components/Chart';
import KpiCard, { NoData } from '../../components/KpiCard';
import PageHeader from '../../components/PageHeader';
import RefreshButton from '../../components/RefreshButton';
import { saveBlob } from '../../lib/download';
import { errorText, useApiError } from '../../lib/errors';
import { fmtDuration, fmtShare } from '../../lib/format';
import { useApiGet } from '../../lib/useApiGet';
import { useDirectory } from '../../lib/useDirectory';
import ReportBody from './ReportBody';
import ReportFilterBar, { useReportQuery } from './ReportFilters';

/** The planning assumptions, as the form edits them (percentages as 0–100, AHT blank = measured). */
interface Assumptions {
  multiplier: number;
  aht_seconds?: number | null;
  concurrency: number;
  service_level: number;
  within_seconds: number;
  shrinkage: number;
}

const DEFAULTS: Assumptions = { multiplier: 3, aht_seconds: null, concurrency: 3, service_level: 90, within_seconds: 180, shrinkage: 30 };
const MULTIPLIER_PRESETS = [1, 2, 3];
const HOUR = 3600e9; // nanoseconds
const INTERVAL_HOURS = 0.5; // reports.PlanInterval

/** "09:30" from an interval's start (the server's wall clock, whatever the browser's zone). */
function clock(start: string): string {
  return /T(\d{2}:\d{2})/.exec(start)?.[1] ?? start;
}

/** The interval "09:30–10:00". */
function intervalLabel(start: string): string {
  const [h, m] = clock(start).split(':').map(Number);
  const end = (h * 60 + m + INTERVAL_HOURS * 60) % (24 * 60);
  return `${clock(start)}–${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
}

const ignore = () => {};

/** Erlang C staffing for a promotion day: agents per half hour of a typical day learnt from a past period. */
export default function StaffingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const dir = useDirectory(ignore);
  const [query, setQuery] = useReportQuery(30);
  const [form] = Form.useForm<Assumptions>();
  const [assume, setAssume] = useState<Assumptions>(DEFAULTS);
  const [exporting, setExporting] = useState(false);

  const params = useMemo(
    () => ({
      ...query,
      multiplier: String(assume.multiplier),
      aht_seconds: assume.aht_seconds ? String(assume.aht_seconds) : undefined,
      concurrency: String(assume.concurrency),
      service_level: String(assume.service_level / 100),
      within_seconds: String(assume.within_seconds),
      shrinkage: String(assume.shrinkage / 100),
    }),
    [query, assume],
  );
  const { data, loading, error, reload } = useApiGet<StaffingReport>(withQuery('/reports/staffing', params));
  const plans = useMemo(() => data?.plans ?? [], [data]);
  const busy = plans.some((p) => p.contacts > 0);

  const exportCsv = async () => {
    setExporting(true);
    try {
      const { blob, filename } = await api.download('/reports/staffing', { ...params, format: 'csv' }, 'kefu-staffing.csv');
      saveBlob(blob, filename);
      message.success(t('reports.kpi.exported', { name: filename }));
    } catch (err) {
      showError(err);
    } finally {
      setExporting(false);
    }
  };

  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 8 },
      grid: { left: 8, right: 8, top: 56, bottom: 4, containLabel: true },
      xAxis: {
        type: 'category',
        data: plans.map((p) => clock(p.start)),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#d9d9d9' } },
        axisLabel: { color: 'rgba(0,0,0,0.45)' },
      },
      yAxis: [
        {
          type: 'value',
          name: t('reports.staffing.axisAgents'),
          minInterval: 1,
          splitLine: { lineStyle: { color: '#f0f0f0' } },
          axisLabel: { color: 'rgba(0,0,0,0.45)' },
        },
        { type: 'value', name: t('reports.staffing.axisContacts'), splitLine: { show: false }, axisLabel: { color: 'rgba(0,0,0,0.45)' } },
      ],
      series: [
        { name: t('reports.staffing.col.agents'), type: 'bar', data: plans.map((p) => p.agents), itemStyle: { color: CHART_COLORS[0] }, barMaxWidth: 14 },
        {
          name: t('reports.staffing.col.scheduled'),
          type: 'bar',
          data: plans.map((p) => p.scheduled),
          itemStyle: { color: CHART_COLORS[1], borderRadius: [3, 3, 0, 0] },
          barMaxWidth: 14,
        },
        {
          name: t('reports.staffing.col.contacts'),
          type: 'line',
          yAxisIndex: 1,
          smooth: true,
          symbolSize: 4,
          data: plans.map((p) => Math.round(p.contacts * 10) / 10),
          itemStyle: { color: CHART_COLORS[2] },
        },
      ],
    }),
    [plans, t],
  );

  const totals = useMemo(() => {
    const peak = plans.reduce<StaffingPlan | null>((best, p) => (!best || p.scheduled > best.scheduled || (p.scheduled === best.scheduled && p.contacts > best.contacts) ? p : best), null);
    const contacts = plans.reduce((n, p) => n + p.contacts, 0);
    const hours = plans.reduce((n, p) => n + p.scheduled * INTERVAL_HOURS, 0);
    return { peak, contacts, hours };
  }, [plans]);

  const columns: TableColumnsType<StaffingPlan> = [
    { title: t('reports.staffing.col.interval'), dataIndex: 'start', render: (s: string) => intervalLabel(s) },
    { title: t('reports.staffing.col.contacts'), dataIndex: 'contacts', align: 'right', render: (n: number) => n.toFixed(1) },
    { title: t('reports.staffing.col.traffic'), dataIndex: 'traffic_erlangs', align: 'right', render: (n: number) => n.toFixed(2) },
    { title: t('reports.staffing.col.agents'), dataIndex: 'agents', align: 'right' },
    { title: t('reports.staffing.col.scheduled'), dataIndex: 'scheduled', align: 'right', render: (n: number) => <Typography.Text strong>{n}</Typography.Text> },
    {
      title: t('reports.staffing.col.serviceLevel'),
      key: 'sl',
      align: 'right',
      render: (_, p) => (p.contacts > 0 ? fmtShare(p.service_level, 1) : '—'),
    },
    { title: t('reports.staffing.col.asa'), key: 'asa', align: 'right', render: (_, p) => (p.contacts > 0 ? fmtDuration(p.asa) : '—') },
    { title: t('reports.staffing.col.occupancy'), key: 'occ', align: 'right', render: (_, p) => (p.contacts > 0 ? fmtShare(p.occupancy, 1) : '—') },
  ];

  const assumptions = (
    <Card variant="borderless" style={{ marginBottom: 16 }} title={t('reports.staffing.assumptions')}>
      <Form<Assumptions>
        form={form}
        layout="inline"
        initialValues={DEFAULTS}
        onFinish={(v) => setAssume({ ...DEFAULTS, ...v })}
        style={{ rowGap: 12 }}
        data-testid="staffing-form"
      >
        <Form.Item label={t('reports.staffing.multiplier')} tooltip={t('reports.staffing.help.multiplier')}>
          <Space size={8}>
            <Form.Item noStyle shouldUpdate>
              {() => (
                <Radio.Group
                  optionType="button"
                  value={form.getFieldValue('multiplier')}
                  onChange={(e) => form.setFieldValue('multiplier', e.target.value)}
                  options={MULTIPLIER_PRESETS.map((n) => ({ value: n, label: t(`reports.staffing.preset${n}`) }))}
                />
              )}
            </Form.Item>
            <Form.Item name="multiplier" noStyle rules={[{ required: true }]}>
              <InputNumber min={0.1} max={20} step={0.5} style={{ width: 80 }} />
            </Form.Item>
          </Space>
        </Form.Item>
        <Form.Item name="aht_seconds" label={t('reports.staffing.aht')} tooltip={t('reports.staffing.help.aht')}>
          <InputNumber min={1} max={36000} placeholder={t('reports.staffing.ahtMeasured')} suffix={t('reports.staffing.seconds')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="concurrency" label={t('reports.staffing.concurrency')} tooltip={t('reports.staffing.help.concurrency')} rules={[{ required: true }]}>
          <InputNumber min={1} max={20} precision={0} style={{ width: 80 }} />
        </Form.Item>
        <Form.Item name="service_level" label={t('reports.staffing.serviceLevel')} rules={[{ required: true }]}>
          <InputNumber min={1} max={99.9} suffix="%" style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="within_seconds" label={t('reports.staffing.within')} rules={[{ required: true }]}>
          <InputNumber min={1} max={3600} precision={0} suffix={t('reports.staffing.seconds')} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="shrinkage" label={t('reports.staffing.shrinkage')} tooltip={t('reports.staffing.help.shrinkage')} rules={[{ required: true }]}>
          <InputNumber min={0} max={90} suffix="%" style={{ width: 100 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<CalculatorOutlined />} loading={loading} data-testid="staffing-calc">
            {t('reports.staffing.calculate')}
          </Button>
        </Form.Item>
      </Form>
      <Alert type="info" showIcon style={{ marginTop: 16 }} title={t('reports.staffing.note')} data-testid="staffing-note" />
    </Card>
  );

  return (
    <div data-testid="staffing-report">
      <PageHeader
        title={t('reports.staffing.title')}
        sub={t('reports.staffing.sub')}
        extra={
          <>
            <Button icon={<DownloadOutlined />} loading={exporting} disabled={!busy} onClick={() => void exportCsv()} data-testid="staffing-export">
              {t('reports.staffing.export')}
            </Button>
            <RefreshButton onRefresh={reload} loading={loading} />
          </>
        }
      />
      <ReportFilterBar query={query} onChange={setQuery} dir={dir} fields={['channel', 'team_id', 'intent', 'tier']} testId="staffing" />
      {assumptions}
      <ReportBody data={data} error={error} reload={reload}>
        {(data) => (
          <>
            {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorText(error, t)} />}
            <Row gutter={[16, 16]}>
              <Col xs={24} md={8}>
                <KpiCard
                  testId="staffing-peak"
                  title={t('reports.staffing.card.peak')}
                  help={t('reports.staffing.help.peak')}
                  value={totals.peak && busy ? totals.peak.scheduled : '—'}
                  sub={
                    totals.peak && busy
                      ? t('reports.staffing.card.peakSub', { interval: intervalLabel(totals.peak.start), agents: totals.peak.agents })
                      : t('common.noData')
                  }
                />
              </Col>
              <Col xs={24} md={8}>
                <KpiCard
                  testId="staffing-hours"
                  title={t('reports.staffing.card.hours')}
                  help={t('reports.staffing.help.hours')}
                  value={busy ? totals.hours.toFixed(1) : '—'}
                  sub={t('reports.staffing.card.hoursSub', { n: Math.round(totals.contacts) })}
                />
              </Col>
              <Col xs={24} md={8}>
                <KpiCard
                  testId="staffing-aht"
                  title={t('reports.staffing.card.aht')}
                  help={t('reports.staffing.help.aht')}
                  value={fmtDuration(data.aht)}
                  sub={t(assume.aht_seconds ? 'reports.staffing.card.ahtGiven' : 'reports.staffing.card.ahtMeasured', {
                    days: data.days,
                    perHour: data.aht > 0 ? ((HOUR / data.aht) * assume.concurrency).toFixed(1) : '—',
                  })}
                />
              </Col>
            </Row>
            <Card variant="borderless" title={t('reports.staffing.chart')} style={{ marginTop: 16 }}>
              {busy ? <Chart option={option} height={340} testId="staffing-chart" /> : <NoData height={340} />}
            </Card>
            <Card variant="borderless" title={t('reports.staffing.table')} style={{ marginTop: 16 }}>
              <Table<StaffingPlan>
                rowKey="start"
                size="small"
                columns={columns}
                dataSource={plans}
                loading={loading}
                pagination={false}
                scroll={{ y: 520 }}
                data-testid="staffing-table"
              />
            </Card>
            <Typography.Text type="secondary" style={{ display: 'block', margin: '12px 0 0', fontSize: 12 }}>
              {t('reports.period', { from: query.from, to: query.to })}
            </Typography.Text>
          </>
        )}
      </ReportBody>
    </div>
  );
}
