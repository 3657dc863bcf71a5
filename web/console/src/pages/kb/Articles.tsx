import { useCallback, useMemo } from 'react';
import { Button, Popconfirm, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Article } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useKBList } from '../../lib/kb';
import IntentTag from '../../components/IntentTag';
import { CategoryText, KBListPage, LocaleTag, StatusTag, updatedColumn } from './common';

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
  const navigate = useNavigate();
  const canManage = has('kb.manage');
  const list = useKBList<Article>('/kb/articles', articleText);
  const { kb, filters, categories, remove } = list;

  const open = useCallback(
    (id: string) => {
      const state: EditorState = { back: `/kb/articles${kb.search ? `?${kb.search}` : ''}`, locale: filters.locale, categories };
      navigate(`/kb/articles/${encodeURIComponent(id)}`, { state });
    },
    [navigate, kb.search, filters.locale, categories],
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
      updatedColumn<Article>(t),
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
                onConfirm={() => remove(a, t('kb.article.deleted'))}
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

  return <KBListPage<Article> kind="articles" list={list} columns={columns} onOpen={(a) => open(a.id)} onCreate={() => open('new')} />;
}
