import { useCallback, useMemo } from 'react';
import type { HTMLAttributes } from 'react';
import { App, Button, Card, Empty, Popconfirm, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, withQuery } from '../../api/client';
import type { Article } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useApiError } from '../../lib/errors';
import { fmtTime, fromNow } from '../../lib/format';
import { applyKBFilters, categoriesOf, useKBFilters } from '../../lib/kb';
import { useApiList } from '../../lib/useApiList';
import IntentTag from '../../components/IntentTag';
import { CategoryText, KBFilterBar, KBHeader, KBTabs, LocaleTag, StatusTag } from './common';

const articleText = (a: Article) => [a.title, a.slug, a.category, a.body];

/** What the list tells the editor: where "back" returns (the list with its filters), the locale of a new article, and the categories in use. */
export interface EditorState {
  back?: string;
  locale?: string;
  categories?: string[];
}

export default function ArticlesPage() {
  const { t } = useTranslation();
  const { has } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const showError = useApiError();
  const canManage = has('kb.manage');
  const kb = useKBFilters();
  const { filters } = kb;
  const { items, setItems, loading, reload } = useApiList<Article>(withQuery('/kb/articles', { locale: filters.locale }), showError);

  const shown = useMemo(() => applyKBFilters(items, filters, articleText), [items, filters]);
  const categories = useMemo(() => categoriesOf(items), [items]);

  const open = useCallback(
    (id: string) => {
      const state: EditorState = { back: `/kb/articles${kb.search ? `?${kb.search}` : ''}`, locale: filters.locale, categories };
      navigate(`/kb/articles/${encodeURIComponent(id)}`, { state });
    },
    [navigate, kb.search, filters.locale, categories],
  );

  const remove = useCallback(
    async (a: Article) => {
      try {
        await api.del(`/kb/articles/${encodeURIComponent(a.id)}`);
        message.success(t('kb.article.deleted'));
        setItems((prev) => prev.filter((x) => x.id !== a.id));
      } catch (err) {
        showError(err);
      }
    },
    [message, t, setItems, showError],
  );

  const columns = useMemo<TableColumnsType<Article>>(
    () => [
      {
        title: t('kb.article.titleField'),
        dataIndex: 'title',
        render: (v: string, a) => (
          <div className="kf-kb-cell">
            <Typography.Text strong className="kf-kb-q">
              {v}
            </Typography.Text>
            <span className="kf-mono kf-kb-slug">{a.slug}</span>
          </div>
        ),
      },
      { title: t('kb.field.locale'), dataIndex: 'locale', width: 96, render: (v: string) => <LocaleTag locale={v} /> },
      { title: t('kb.field.category'), dataIndex: 'category', width: 130, ellipsis: true, render: (v: string) => <CategoryText category={v} /> },
      { title: t('kb.field.intent'), dataIndex: 'intent', width: 120, render: (v?: string) => <IntentTag intent={v} /> },
      { title: t('kb.field.status'), dataIndex: 'status', width: 120, render: (v: Article['status']) => <StatusTag status={v} /> },
      {
        title: t('kb.article.revision'),
        dataIndex: 'revision',
        width: 80,
        align: 'right',
        render: (v: number) => <span className="kf-mono kf-kb-rev">{t('kb.article.rev', { n: v })}</span>,
      },
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
        render: (_, a) => (
          <Space size={4} onClick={(e) => e.stopPropagation()}>
            <Button type="link" size="small" onClick={() => open(a.id)} data-testid="kb-article-edit">
              {canManage ? t('common.edit') : t('kb.view')}
            </Button>
            {canManage && (
              <Popconfirm
                title={t('kb.article.deleteConfirm')}
                description={<div className="kf-kb-confirm">{t('kb.article.deleteHint', { title: a.title })}</div>}
                onConfirm={() => remove(a)}
                okButtonProps={{ danger: true }}
              >
                <Button type="link" size="small" danger data-testid="kb-article-delete">
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        ),
      },
    ],
    [t, canManage, remove, open],
  );

  return (
    <>
      <KBHeader kind="articles" onCreate={() => open('new')} onImported={() => void reload()} />
      <Card variant="borderless" styles={{ body: { paddingTop: 4 } }}>
        <KBTabs active="articles" search={kb.search} />
        <KBFilterBar
          {...kb}
          categories={categories}
          shown={shown.length}
          total={items.length}
          loading={loading}
          onRefresh={() => void reload()}
          searchPlaceholder={t('kb.article.searchPlaceholder')}
        />
        <Table<Article>
          rowKey="id"
          columns={columns}
          dataSource={shown}
          loading={loading}
          pagination={shown.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          data-testid="kb-article-table"
          className="kf-kb-table"
          rowClassName="kf-table-row-click"
          onRow={(a) => ({ 'data-testid': 'kb-article-row', onClick: () => open(a.id) }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={kb.active ? t('kb.article.noMatch') : t('kb.article.empty')}
                style={{ padding: '24px 0' }}
              >
                {!kb.active && canManage && (
                  <Button type="primary" onClick={() => open('new')}>
                    {t('kb.article.create')}
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
