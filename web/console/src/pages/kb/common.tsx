// Pieces the knowledge-base pages share: the section header with import and
// export, the FAQ/articles tabs, the filter bar, the list page around them and
// the small tags.
import { useEffect, useRef, useState } from 'react';
import type { HTMLAttributes, ReactNode } from 'react';
import { App, Badge, Button, Card, Empty, Input, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CloudDownloadOutlined, CloudUploadOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { KBStatus } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import CreateButton from '../../components/CreateButton';
import PageHeader from '../../components/PageHeader';
import { saveBlob } from '../../lib/download';
import { useApiError } from '../../lib/errors';
import { fmtTime, fromNow } from '../../lib/format';
import { KB_LOCALES, KB_STATUSES } from '../../lib/kb';
import { intentOptions } from '../../lib/labels';
import type { KBFilterKey, KBFilters, KBItem, KBList } from '../../lib/kb';
import ImportModal from './ImportModal';

export type KBKind = 'faqs' | 'articles';

const EXPORTS: Record<KBKind, { format: string; file: string }> = {
  faqs: { format: 'faq-csv', file: 'kefu-faq.csv' },
  articles: { format: 'articles-zip', file: 'kefu-articles.zip' },
};

/** The knowledge base's page header: import, export and "new …" for writers. */
export function KBHeader({ kind, onCreate, onImported }: { kind: KBKind; onCreate: () => void; onImported: () => void }) {
  const { t } = useTranslation();
  const { has } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const canManage = has('kb.manage');

  const exportFile = async () => {
    setExporting(true);
    try {
      const { format, file } = EXPORTS[kind];
      const { blob, filename } = await api.download('/kb/export', { format }, file);
      saveBlob(blob, filename);
      message.success(t('kb.io.exported', { name: filename }));
    } catch (err) {
      showError(err);
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t('kb.title')}
        sub={t('kb.sub')}
        extra={
          canManage && (
            <>
              <Button icon={<CloudUploadOutlined />} onClick={() => setImporting(true)} data-testid="kb-import">
                {t('kb.io.import')}
              </Button>
              <Tooltip title={t(`kb.io.exportHelp.${kind}`)}>
                <Button icon={<CloudDownloadOutlined />} loading={exporting} onClick={() => void exportFile()} data-testid="kb-export">
                  {t(`kb.io.export.${kind}`)}
                </Button>
              </Tooltip>
              <CreateButton testId={kind === 'faqs' ? 'kb-faq-create' : 'kb-article-create'} onClick={onCreate}>
                {t(kind === 'faqs' ? 'kb.faq.create' : 'kb.article.create')}
              </CreateButton>
            </>
          )
        }
      />
      {canManage && <ImportModal kind={kind} open={importing} onClose={() => setImporting(false)} onImported={onImported} />}
    </>
  );
}

export type KBTab = KBKind | 'unanswered';

/** The FAQ/articles/unanswered switch at the top of the list card; filters carry over between the lists. */
export function KBTabs({ active, search, extra }: { active: KBTab; search: string; extra?: ReactNode }) {
  const { t } = useTranslation();
  const { has } = useAuth();
  const navigate = useNavigate();
  const tabs: KBTab[] = has('kb.manage') ? ['faqs', 'articles', 'unanswered'] : ['faqs', 'articles'];
  return (
    <Tabs
      activeKey={active}
      onChange={(k) => navigate({ pathname: `/kb/${k}`, search: search && k !== 'unanswered' ? `?${search}` : '' })}
      items={tabs.map((k) => ({ key: k, label: <span data-testid={`kb-tab-${k}`}>{t(`kb.tab.${k}`)}</span> }))}
      tabBarExtraContent={extra}
    />
  );
}

/** Locale, intent, category and status pickers, and a text search; the caller filters. */
export function KBFilterBar({
  filters,
  set,
  reset,
  active,
  categories,
  shown,
  total,
  loading,
  onRefresh,
  searchPlaceholder,
}: {
  filters: KBFilters;
  set: (key: KBFilterKey, value: string | undefined) => void;
  reset: () => void;
  active: boolean;
  categories: string[];
  shown: number;
  total: number;
  loading: boolean;
  onRefresh: () => void;
  searchPlaceholder: string;
}) {
  const { t } = useTranslation();
  // The search box answers each key at once; the query string follows a moment later.
  const [q, setQ] = useState(filters.q);
  const pushed = useRef(filters.q);
  useEffect(() => {
    if (filters.q !== pushed.current) {
      pushed.current = filters.q;
      setQ(filters.q); // changed from outside: reset, back or forward
    }
  }, [filters.q]);
  useEffect(() => {
    if (q === pushed.current) return;
    const id = window.setTimeout(() => {
      pushed.current = q;
      set('q', q);
    }, 200);
    return () => window.clearTimeout(id);
  }, [q, set]);
  return (
    <div className="kf-kb-filters">
      <Space wrap size={8}>
        <Input
          allowClear
          prefix={<SearchOutlined style={{ color: 'rgba(0,0,0,0.3)' }} />}
          placeholder={searchPlaceholder}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 240 }}
          data-testid="kb-search"
        />
        <Select
          allowClear
          placeholder={t('kb.filter.anyLocale')}
          value={filters.locale || undefined}
          onChange={(v) => set('locale', v)}
          options={KB_LOCALES.map((l) => ({ value: l, label: t(`kb.localeName.${l}`) }))}
          style={{ width: 136 }}
          data-testid="kb-filter-locale"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('kb.filter.anyIntent')}
          value={filters.intent || undefined}
          onChange={(v) => set('intent', v)}
          options={[...intentOptions(t), { value: '-', label: t('kb.filter.noIntent') }]}
          style={{ width: 150 }}
          data-testid="kb-filter-intent"
        />
        <Select
          allowClear
          showSearch
          placeholder={t('kb.filter.anyCategory')}
          value={filters.category || undefined}
          onChange={(v) => set('category', v)}
          options={categories.map((c) => ({ value: c, label: c }))}
          notFoundContent={<Typography.Text type="secondary">{t('kb.filter.noCategories')}</Typography.Text>}
          style={{ width: 150 }}
          data-testid="kb-filter-category"
        />
        <Select
          allowClear
          placeholder={t('kb.filter.anyStatus')}
          value={filters.status || undefined}
          onChange={(v) => set('status', v)}
          options={KB_STATUSES.map((s) => ({ value: s, label: t(`kb.status.${s}`) }))}
          style={{ width: 130 }}
          data-testid="kb-filter-status"
        />
        {active && (
          <Button type="link" onClick={reset} style={{ paddingInline: 4 }}>
            {t('kb.filter.clear')}
          </Button>
        )}
      </Space>
      <Space size={12} style={{ marginLeft: 'auto' }}>
        <Typography.Text type="secondary" style={{ fontSize: 13 }} data-testid="kb-count">
          {shown === total ? t('kb.filter.count', { n: total }) : t('kb.filter.countFiltered', { n: shown, total })}
        </Typography.Text>
        <Button icon={<ReloadOutlined />} onClick={onRefresh} loading={loading}>
          {t('common.refresh')}
        </Button>
      </Space>
    </div>
  );
}

/**
 * The body of the FAQ or articles page: the header, then a card with the tabs, the filter bar and the
 * table of the shown rows (20 a page when longer), a row opening on click; an empty list offers "new …"
 * to writers, an empty filter result says nothing matched.
 */
export function KBListPage<T extends KBItem>({
  kind,
  list,
  columns,
  onOpen,
  onCreate,
}: {
  kind: KBKind;
  list: KBList<T>;
  columns: TableColumnsType<T>;
  onOpen: (row: T) => void;
  onCreate: () => void;
}) {
  const { t } = useTranslation();
  const { has } = useAuth();
  const { kb, categories, shown, items, loading, reload } = list;
  const faqs = kind === 'faqs';
  const text = faqs
    ? { search: t('kb.faq.searchPlaceholder'), noMatch: t('kb.faq.noMatch'), empty: t('kb.faq.empty'), create: t('kb.faq.create') }
    : { search: t('kb.article.searchPlaceholder'), noMatch: t('kb.article.noMatch'), empty: t('kb.article.empty'), create: t('kb.article.create') };
  return (
    <>
      <KBHeader kind={kind} onCreate={onCreate} onImported={() => void reload()} />
      <Card variant="borderless" styles={{ body: { paddingTop: 4 } }}>
        <KBTabs active={kind} search={kb.search} />
        <KBFilterBar
          {...kb}
          categories={categories}
          shown={shown.length}
          total={items.length}
          loading={loading}
          onRefresh={() => void reload()}
          searchPlaceholder={text.search}
        />
        <Table<T>
          rowKey="id"
          columns={columns}
          dataSource={shown}
          loading={loading}
          pagination={shown.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          data-testid={faqs ? 'kb-faq-table' : 'kb-article-table'}
          className="kf-kb-table"
          rowClassName="kf-table-row-click"
          onRow={(row) => ({ 'data-testid': faqs ? 'kb-faq-row' : 'kb-article-row', onClick: () => onOpen(row) }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={kb.active ? text.noMatch : text.empty} style={{ padding: '24px 0' }}>
                {!kb.active && has('kb.manage') && (
                  <Button type="primary" onClick={onCreate}>
                    {text.create}
                  </Button>
                )}
              </Empty>
            ),
          }}
          scroll={{ x: 1100 }}
        />
      </Card>
    </>
  );
}

/** The "updated" column of a knowledge-base list: how long ago, with the time in a tooltip. */
export function updatedColumn<T extends { updated_at: string }>(t: (key: string) => string): TableColumnsType<T>[number] {
  return {
    title: t('kb.field.updated'),
    dataIndex: 'updated_at',
    width: 136,
    className: 'kf-kb-nowrap',
    render: (v: string) => <Tooltip title={fmtTime(v)}>{fromNow(v)}</Tooltip>,
  };
}

export function LocaleTag({ locale }: { locale: string }) {
  const { t } = useTranslation();
  return (
    <Tag style={{ marginInlineEnd: 0 }} className="kf-kb-locale">
      {KB_LOCALES.includes(locale as never) ? t(`kb.localeName.${locale}`) : locale}
    </Tag>
  );
}

export function StatusTag({ status }: { status: KBStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      status={status === 'published' ? 'success' : 'default'}
      text={KB_STATUSES.includes(status) ? t(`kb.status.${status}`) : status}
      data-testid="kb-status"
    />
  );
}

/** The category of a row, or a dash. */
export function CategoryText({ category }: { category: string }) {
  return category ? <span>{category}</span> : <Typography.Text type="secondary">—</Typography.Text>;
}
