import { useMemo, useState } from 'react';
import { Button, Card, Empty, Result, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, withQuery } from '../../api/client';
import type { FAQ, UnansweredQuestion } from '../../api/types';
import DaysPicker, { useDaysParam } from '../../components/DaysPicker';
import IntentTag from '../../components/IntentTag';
import PageHeader from '../../components/PageHeader';
import { errorText } from '../../lib/errors';
import { fmtTime, fromNow } from '../../lib/format';
import { categoriesOf, guessLocale } from '../../lib/kb';
import { INTENTS } from '../../lib/labels';
import { useApiList } from '../../lib/useApiList';
import { KBTabs } from './common';
import FaqDrawer from './FaqDrawer';
import type { FaqPrefill } from './FaqDrawer';

const quiet = () => {};

/** What customers asked that the bot could not answer, most frequent first: the gaps to fill with FAQ entries. */
export default function UnansweredPage() {
  const { t } = useTranslation();
  const [days, setDays] = useDaysParam(30);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const list = useApiList<UnansweredQuestion>(withQuery('/kb/unanswered', { days }), setLoadErr);
  const faqs = useApiList<FAQ>('/kb/faqs', quiet);
  const categories = useMemo(() => categoriesOf(faqs.items), [faqs.items]);
  const [drawer, setDrawer] = useState<{ question: string; prefill: FaqPrefill } | null>(null);
  const [created, setCreated] = useState<Set<string>>(() => new Set());
  const total = useMemo(() => list.items.reduce((n, q) => n + q.count, 0), [list.items]);
  const max = useMemo(() => Math.max(1, ...list.items.map((q) => q.count)), [list.items]);

  const reload = () => {
    setLoadErr(null);
    void list.reload();
  };

  const createFaq = (q: UnansweredQuestion) =>
    setDrawer({
      question: q.question,
      prefill: { question: q.question.trim(), locale: guessLocale(q.question), intent: INTENTS.includes(q.intent) ? q.intent : undefined },
    });

  const columns: TableColumnsType<UnansweredQuestion> = [
    {
      title: t('kb.unanswered.question'),
      dataIndex: 'question',
      render: (v: string) => (
        <Typography.Text strong className="kf-kb-q" data-testid="unanswered-question">
          {v}
        </Typography.Text>
      ),
    },
    {
      title: t('kb.unanswered.count'),
      dataIndex: 'count',
      width: 170,
      render: (n: number) => (
        <div className="kf-count-bar" data-testid="unanswered-count">
          <span className="kf-count-bar-fill" style={{ width: `${Math.max(4, (n / max) * 100)}%` }} />
          <span className="kf-count-bar-n">{t('kb.unanswered.times', { n })}</span>
        </div>
      ),
    },
    { title: t('kb.field.intent'), dataIndex: 'intent', width: 130, render: (v: string) => <IntentTag intent={v} /> },
    {
      title: t('kb.unanswered.lastAt'),
      dataIndex: 'last_at',
      width: 140,
      className: 'kf-kb-nowrap',
      render: (v: string) => <Tooltip title={fmtTime(v)}>{fromNow(v)}</Tooltip>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, q) =>
        created.has(q.question) ? (
          <Tag color="success" bordered={false} icon={<CheckOutlined />} data-testid="unanswered-created">
            {t('kb.faq.created')}
          </Tag>
        ) : (
          <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => createFaq(q)} data-testid="unanswered-create-faq">
            {t('kb.faq.create')}
          </Button>
        ),
    },
  ];

  const notFound = loadErr instanceof ApiError && loadErr.status === 404;

  return (
    <>
      <PageHeader title={t('kb.title')} sub={t('kb.sub')} />
      <Card variant="borderless" styles={{ body: { paddingTop: 4 } }}>
        <KBTabs active="unanswered" search="" />
        <div className="kf-kb-filters">
          <Space wrap size={12}>
            <DaysPicker
              value={days}
              onChange={(d) => {
                setLoadErr(null);
                setDays(d);
              }}
              testId="unanswered-days"
            />
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {t('kb.unanswered.help')}
            </Typography.Text>
          </Space>
          <Space size={12} style={{ marginLeft: 'auto' }}>
            <Typography.Text type="secondary" style={{ fontSize: 13 }} data-testid="unanswered-summary">
              {t('kb.unanswered.summary', { n: list.items.length, total })}
            </Typography.Text>
            <Button icon={<ReloadOutlined />} onClick={reload} loading={list.loading}>
              {t('common.refresh')}
            </Button>
          </Space>
        </div>
        {loadErr && list.items.length === 0 ? (
          <Result
            status={notFound ? 'info' : 'warning'}
            title={notFound ? t('kb.unanswered.unavailable') : t('errors.loadFailed')}
            subTitle={notFound ? undefined : errorText(loadErr, t)}
            extra={<Button onClick={reload}>{t('common.retry')}</Button>}
          />
        ) : (
          <Table<UnansweredQuestion>
            rowKey="question"
            columns={columns}
            dataSource={list.items}
            loading={list.loading}
            pagination={list.items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            data-testid="unanswered-table"
            className="kf-kb-table"
            locale={{
              emptyText: (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('kb.unanswered.empty', { n: days })} style={{ padding: '24px 0' }} />
              ),
            }}
            scroll={{ x: 900 }}
          />
        )}
      </Card>
      <FaqDrawer
        faq={drawer ? 'new' : null}
        readOnly={false}
        categories={categories}
        prefill={drawer?.prefill}
        onClose={() => setDrawer(null)}
        onSaved={(f) => {
          if (drawer) setCreated((prev) => new Set(prev).add(drawer.question));
          setDrawer(null);
          faqs.setItems((prev) => [f, ...prev]);
        }}
      />
    </>
  );
}
