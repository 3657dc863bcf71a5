import { useCallback, useMemo, useState } from 'react';
import type { HTMLAttributes } from 'react';
import { App, Button, Card, Empty, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../../api/client';
import type { FAQ } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useApiError } from '../../lib/errors';
import { fmtTime, fromNow } from '../../lib/format';
import { applyKBFilters, categoriesOf, useKBFilters } from '../../lib/kb';
import { useApiList } from '../../lib/useApiList';
import IntentTag from '../../components/IntentTag';
import { CategoryText, KBFilterBar, KBHeader, KBTabs, LocaleTag, StatusTag } from './common';
import FaqDrawer from './FaqDrawer';

const faqText = (f: FAQ) => [f.question, f.answer, f.category, ...(f.alternatives ?? [])];

export default function FaqsPage() {
  const { t } = useTranslation();
  const { has } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const canManage = has('kb.manage');
  const kb = useKBFilters();
  const { filters } = kb;
  const { items, setItems, loading, reload } = useApiList<FAQ>(withQuery('/kb/faqs', { locale: filters.locale }), showError);
  const [open, setOpen] = useState<FAQ | 'new' | null>(null);

  const shown = useMemo(() => applyKBFilters(items, filters, faqText), [items, filters]);
  const categories = useMemo(() => categoriesOf(items), [items]);

  const onSaved = (f: FAQ, created: boolean) => {
    setOpen(null);
    if (created) {
      if (!filters.locale || f.locale === filters.locale) setItems((prev) => [f, ...prev]);
    } else setItems((prev) => prev.map((x) => (x.id === f.id ? f : x)).filter((x) => !filters.locale || x.locale === filters.locale));
  };

  const remove = useCallback(
    async (f: FAQ) => {
      try {
        await api.del(`/kb/faqs/${encodeURIComponent(f.id)}`);
        message.success(t('kb.faq.deleted'));
        setItems((prev) => prev.filter((x) => x.id !== f.id));
      } catch (err) {
        showError(err);
      }
    },
    [message, t, setItems, showError],
  );

  const columns = useMemo<TableColumnsType<FAQ>>(
    () => [
      {
        title: t('kb.faq.question'),
        dataIndex: 'question',
        render: (v: string, f) => (
          <div className="kf-kb-cell">
            <Typography.Text strong className="kf-kb-q">
              {v}
            </Typography.Text>
            <Typography.Text type="secondary" ellipsis className="kf-kb-a">
              {f.answer}
            </Typography.Text>
          </div>
        ),
      },
      {
        title: t('kb.faq.altColumn'),
        dataIndex: 'alternatives',
        width: 110,
        render: (alts: string[] | null) =>
          alts?.length ? (
            <Tooltip
              title={
                <ul className="kf-kb-alts">
                  {alts.map((a) => (
                    <li key={a}>{a}</li>
                  ))}
                </ul>
              }
            >
              <Tag bordered={false} color="processing" style={{ cursor: 'default' }} data-testid="kb-faq-alts">
                {t('kb.faq.altCount', { n: alts.length })}
              </Tag>
            </Tooltip>
          ) : (
            <Typography.Text type="secondary">—</Typography.Text>
          ),
      },
      { title: t('kb.field.intent'), dataIndex: 'intent', width: 120, render: (v?: string) => <IntentTag intent={v} /> },
      { title: t('kb.field.category'), dataIndex: 'category', width: 120, ellipsis: true, render: (v: string) => <CategoryText category={v} /> },
      { title: t('kb.field.locale'), dataIndex: 'locale', width: 96, render: (v: string) => <LocaleTag locale={v} /> },
      { title: t('kb.field.status'), dataIndex: 'status', width: 120, render: (v: FAQ['status']) => <StatusTag status={v} /> },
      {
        title: t('kb.field.updated'),
        dataIndex: 'updated_at',
        width: 136,
        className: 'kf-kb-nowrap',
        render: (v: string) => <Tooltip title={fmtTime(v)}>{fromNow(v)}</Tooltip>,
      },
      {
        title: t('common.actions'),
        key: 'actions',
        width: 120,
        render: (_, f) => (
          <Space size={4} onClick={(e) => e.stopPropagation()}>
            {canManage ? (
              <>
                <Button type="link" size="small" onClick={() => setOpen(f)} data-testid="kb-faq-edit">
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('kb.faq.deleteConfirm')}
                  description={<div className="kf-kb-confirm">{f.question}</div>}
                  onConfirm={() => remove(f)}
                  okButtonProps={{ danger: true }}
                >
                  <Button type="link" size="small" danger data-testid="kb-faq-delete">
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </>
            ) : (
              <Button type="link" size="small" onClick={() => setOpen(f)} data-testid="kb-faq-view">
                {t('kb.view')}
              </Button>
            )}
          </Space>
        ),
      },
    ],
    [t, canManage, remove],
  );

  const empty = kb.active ? t('kb.faq.noMatch') : t('kb.faq.empty');

  return (
    <>
      <KBHeader kind="faqs" onCreate={() => setOpen('new')} onImported={() => void reload()} />
      <Card variant="borderless" styles={{ body: { paddingTop: 4 } }}>
        <KBTabs active="faqs" search={kb.search} />
        <KBFilterBar
          {...kb}
          categories={categories}
          shown={shown.length}
          total={items.length}
          loading={loading}
          onRefresh={() => void reload()}
          searchPlaceholder={t('kb.faq.searchPlaceholder')}
        />
        <Table<FAQ>
          rowKey="id"
          columns={columns}
          dataSource={shown}
          loading={loading}
          pagination={shown.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          data-testid="kb-faq-table"
          className="kf-kb-table"
          rowClassName="kf-table-row-click"
          onRow={(f) => ({ 'data-testid': 'kb-faq-row', onClick: () => setOpen(f) }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} style={{ padding: '24px 0' }}>
                {!kb.active && canManage && (
                  <Button type="primary" onClick={() => setOpen('new')}>
                    {t('kb.faq.create')}
                  </Button>
                )}
              </Empty>
            ),
          }}
          scroll={{ x: 1100 }}
        />
      </Card>
      <FaqDrawer
        faq={open}
        readOnly={!canManage}
        categories={categories}
        defaultLocale={filters.locale}
        onClose={() => setOpen(null)}
        onSaved={onSaved}
      />
    </>
  );
}
