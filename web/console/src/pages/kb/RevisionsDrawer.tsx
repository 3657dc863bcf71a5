import { useEffect, useState } from 'react';
import { Button, Drawer, Empty, Popconfirm, Segmented, Skeleton, Tag, Typography } from 'antd';
import { RollbackOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Article, ArticleRevision, ListResponse } from '../../api/types';
import { useApiError } from '../../lib/errors';
import { fmtTime, fromNow } from '../../lib/format';
import Markdown from '../../lib/markdown';

/**
 * The article's saved versions, newest first, with a view of each text. Writers
 * can copy an older version into the editor (it is saved as a new version).
 */
export default function RevisionsDrawer({
  article,
  open,
  onClose,
  onRestore,
  authorName,
}: {
  article: Article;
  open: boolean;
  onClose: () => void;
  /** Absent for readers. */
  onRestore?: (rev: ArticleRevision) => void;
  authorName: (id?: string) => string;
}) {
  const { t } = useTranslation();
  const showError = useApiError();
  const [items, setItems] = useState<ArticleRevision[]>([]);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [mode, setMode] = useState<'preview' | 'source'>('preview');

  useEffect(() => {
    if (!open) return;
    const ctl = new AbortController();
    setLoading(true);
    api
      .get<ListResponse<ArticleRevision>>(`/kb/articles/${encodeURIComponent(article.id)}/revisions`, undefined, ctl.signal)
      .then((res) => {
        const list = res.items ?? [];
        setItems(list);
        setSelected(list[0]?.revision ?? null);
      })
      .catch(showError)
      .finally(() => setLoading(false));
    return () => ctl.abort();
  }, [open, article.id, article.revision, showError]);

  const rev = items.find((r) => r.revision === selected);

  return (
    <Drawer title={t('kb.rev.title')} open={open} onClose={onClose} size={1000} data-testid="kb-revisions" styles={{ body: { padding: 0 } }}>
      {loading && !items.length ? (
        <Skeleton active style={{ padding: 24 }} />
      ) : !items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('kb.rev.empty')} style={{ padding: 48 }} />
      ) : (
        <div className="kf-rev">
          <div className="kf-rev-list">
            {items.map((r) => (
              <div
                key={r.revision}
                className={`kf-rev-item${r.revision === selected ? ' active' : ''}`}
                onClick={() => setSelected(r.revision)}
                role="button"
                data-testid="kb-revision-item"
              >
                <div className="kf-rev-line">
                  <span className="kf-rev-num">{t('kb.rev.version', { n: r.revision })}</span>
                  {r.revision === article.revision && (
                    <Tag color="blue" bordered={false} style={{ marginInlineEnd: 0 }}>
                      {t('kb.rev.current')}
                    </Tag>
                  )}
                </div>
                <div className="kf-rev-meta" title={fmtTime(r.created_at)}>
                  {fromNow(r.created_at)}
                  {authorName(r.author_id) && ` · ${authorName(r.author_id)}`}
                </div>
                <div className="kf-rev-title">{r.title}</div>
              </div>
            ))}
          </div>
          <div className="kf-rev-view">
            {rev && (
              <>
                <div className="kf-rev-head">
                  <div style={{ minWidth: 0 }}>
                    <Typography.Title level={4} style={{ margin: 0 }} ellipsis>
                      {rev.title}
                    </Typography.Title>
                    <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                      {t('kb.rev.savedAt', { n: rev.revision, time: fmtTime(rev.created_at) })}
                    </Typography.Text>
                  </div>
                  <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexShrink: 0 }}>
                    <Segmented
                      size="small"
                      value={mode}
                      onChange={(v) => setMode(v as 'preview' | 'source')}
                      options={[
                        { value: 'preview', label: t('kb.md.preview') },
                        { value: 'source', label: t('kb.md.source') },
                      ]}
                    />
                    {onRestore && rev.revision !== article.revision && (
                      <Popconfirm title={t('kb.rev.restoreConfirm', { n: rev.revision })} description={t('kb.rev.restoreHint')} onConfirm={() => onRestore(rev)}>
                        <Button size="small" icon={<RollbackOutlined />} data-testid="kb-revision-restore">
                          {t('kb.rev.restore')}
                        </Button>
                      </Popconfirm>
                    )}
                  </div>
                </div>
                <div className="kf-rev-body" data-testid="kb-revision-view">
                  {mode === 'preview' ? <Markdown source={rev.body} /> : <pre className="kf-rev-source kf-mono">{rev.body}</pre>}
                </div>
              </>
            )}
          </div>
        </div>
      )}
    </Drawer>
  );
}
