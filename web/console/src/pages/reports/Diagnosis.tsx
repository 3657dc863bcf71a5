import { Button, Card, Col, Row, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { API_BASE, withQuery } from '../../api/client';
import type { DiagnosisFinding, DiagnosisReport, DiagnosisSlot } from '../../api/types';
import IntentTag from '../../components/IntentTag';
import PageHeader from '../../components/PageHeader';
import RefreshButton from '../../components/RefreshButton';
import { fmtDuration, fmtShare } from '../../lib/format';
import { useApiGet } from '../../lib/useApiGet';
import { useDirectory } from '../../lib/useDirectory';
import ReportBody from './ReportBody';
import ReportFilterBar, { useReportQuery } from './ReportFilters';

/** The findings where lower is better (the rest are "at least" targets). */
const AT_MOST = ['frt_median_minutes', 'repeat_rate', 'escalation_rate'];

/** The kefu features a finding can suggest (reports.Diagnose); labels are reports.diagnosis.feature.<key>. */
const FEATURES = [
  'bot',
  'routing',
  'sla',
  'canned_replies',
  'staffing',
  'knowledge_base',
  'agent_assist',
  'orders_panel',
  'tasks',
  'logistics_alerts',
  'returns',
  'surveys',
  'rules',
  'anger_detection',
  'business_hours',
];
const KPIS = ['frt_median_minutes', 'fcr', 'repeat_rate', 'escalation_rate', 'csat', 'coverage_3m'];

const ignore = () => {};

/** The baseline diagnosis of a period: KPIs against targets with the features to use, and where it hurts most. */
export default function DiagnosisPage() {
  const { t, i18n } = useTranslation();
  const dir = useDirectory(ignore);
  const [query, setQuery] = useReportQuery(30);
  const { data, loading, error, reload } = useApiGet<DiagnosisReport>(withQuery('/reports/diagnosis', query));

  const openPrintable = () => {
    const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
    window.open(API_BASE + withQuery('/reports/diagnosis', { ...query, format: 'html', lang }), '_blank', 'noopener');
  };

  const kpiName = (k: string) => (KPIS.includes(k) ? t(`reports.diagnosis.kpi.${k}`) : k);
  const featureName = (k: string) => (FEATURES.includes(k) ? t(`reports.diagnosis.feature.${k}`) : k);
  const figure = (f: DiagnosisFinding, x: number) =>
    f.kpi === 'frt_median_minutes' ? t('reports.diagnosis.minutes', { n: x.toFixed(1) }) : fmtShare(x, 1);

  const findingColumns: TableColumnsType<DiagnosisFinding> = [
    { title: t('reports.diagnosis.col.kpi'), dataIndex: 'kpi', render: (k: string) => kpiName(k) },
    { title: t('reports.diagnosis.col.value'), key: 'value', align: 'right', render: (_, f) => (f.known ? <Typography.Text strong>{figure(f, f.value)}</Typography.Text> : '—') },
    { title: t('reports.diagnosis.col.target'), key: 'target', align: 'right', render: (_, f) => `${AT_MOST.includes(f.kpi) ? '≤' : '≥'} ${figure(f, f.target)}` },
    { title: t('reports.diagnosis.col.reference'), dataIndex: 'reference', render: (r: string) => r || '—' },
    {
      title: t('reports.diagnosis.col.status'),
      key: 'status',
      render: (_, f) =>
        !f.known ? (
          <Tag>{t('reports.diagnosis.noData')}</Tag>
        ) : f.met ? (
          <Tag color="success">{t('reports.diagnosis.met')}</Tag>
        ) : (
          <Tag color="error">{t('reports.diagnosis.missed')}</Tag>
        ),
    },
    {
      title: t('reports.diagnosis.col.features'),
      key: 'features',
      render: (_, f) =>
        f.features?.length ? (
          <Space size={[4, 4]} wrap>
            {f.features.map((x) => (
              <Tag key={x} color={f.known && !f.met ? 'blue' : 'default'} bordered={false}>
                {featureName(x)}
              </Tag>
            ))}
          </Space>
        ) : (
          '—'
        ),
    },
  ];

  /** The columns of a slot table, after its first (an hour or an intent). */
  const slotColumns = (first: TableColumnsType<DiagnosisSlot>[number]): TableColumnsType<DiagnosisSlot> => [
    first,
    { title: t('reports.kpi.col.conversations'), dataIndex: 'conversations', align: 'right' },
    { title: t('reports.kpi.col.frtMedian'), key: 'frt', align: 'right', render: (_, s) => (s.frt_median > 0 ? fmtDuration(s.frt_median) : '—') },
    { title: t('reports.kpi.col.fcr'), key: 'fcr', align: 'right', render: (_, s) => fmtShare(s.fcr, s.resolved) },
    { title: t('reports.diagnosis.col.resolved'), dataIndex: 'resolved', align: 'right' },
  ];
  const hourColumns = slotColumns({
    title: t('reports.diagnosis.col.hour'),
    dataIndex: 'key',
    render: (k: string) => `${k}:00–${String((Number(k) + 1) % 24).padStart(2, '0')}:00`,
  });
  const intentColumns = slotColumns({ title: t('reports.diagnosis.col.intent'), dataIndex: 'key', render: (k: string) => <IntentTag intent={k} /> });

  const slotTable = (title: string, rows: DiagnosisSlot[] | null | undefined, columns: TableColumnsType<DiagnosisSlot>, testId: string) => (
    <Card variant="borderless" title={title} style={{ height: '100%' }}>
      <Table<DiagnosisSlot>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: t('reports.diagnosis.notEnough') }}
        data-testid={testId}
      />
    </Card>
  );

  return (
    <div data-testid="diagnosis-report">
      <PageHeader
        title={t('reports.diagnosis.title')}
        sub={t('reports.diagnosis.sub')}
        extra={
          <>
            <Button type="primary" icon={<PrinterOutlined />} onClick={openPrintable} data-testid="diagnosis-print">
              {t('reports.diagnosis.print')}
            </Button>
            <RefreshButton onRefresh={reload} loading={loading} />
          </>
        }
      />
      <ReportFilterBar query={query} onChange={setQuery} dir={dir} testId="diagnosis" />
      <ReportBody data={data} error={error} reload={reload}>
        {(data) => (
          <>
            <Card variant="borderless" title={t('reports.diagnosis.findings')}>
              <Table<DiagnosisFinding>
                rowKey="kpi"
                size="middle"
                columns={findingColumns}
                dataSource={data.findings ?? []}
                loading={loading}
                pagination={false}
                data-testid="diagnosis-findings"
              />
            </Card>
            <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
              <Col xs={24} lg={12} xxl={8}>
                {slotTable(t('reports.diagnosis.worstHours'), data.worst_hours, hourColumns, 'diagnosis-hours')}
              </Col>
              <Col xs={24} lg={12} xxl={8}>
                {slotTable(t('reports.diagnosis.topIntents'), data.top_intents, intentColumns, 'diagnosis-top-intents')}
              </Col>
              <Col xs={24} lg={12} xxl={8}>
                {slotTable(t('reports.diagnosis.worstIntents'), data.worst_intents, intentColumns, 'diagnosis-worst-intents')}
              </Col>
            </Row>
            <Typography.Text type="secondary" style={{ display: 'block', margin: '12px 0 0', fontSize: 12 }} data-testid="report-period">
              {t('reports.kpi.period', { from: query.from, to: query.to, n: data.summary.conversations })}
            </Typography.Text>
          </>
        )}
      </ReportBody>
    </div>
  );
}
