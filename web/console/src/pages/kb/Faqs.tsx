import { useMemo, useState } from 'react';
import { Button, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FAQ } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { useKBList } from '../../lib/kb';
import IntentTag from '../../components/IntentTag';
import { CategoryText, KBListPage, LocaleTag, StatusTag, updatedColumn } from './common';
import FaqDrawer from './FaqDrawer';

const faqText = (f: FAQ) => [f.question, f.answer, f.category, ...(f.alternatives ?? [])];

export default function FaqsPage() {
  const { t } = useTranslation();
  const { has } = useAuth();
  const canManage = has('kb.manage');
  const list = useKBList<FAQ>('/kb/faqs', faqText);
  const { filters, setItems, categories, remove } = list;
  const [open, setOpen] = useState<FAQ | 'new' | null>(null);

  const onSaved = (f: FAQ, created: boolean) => {
    setOpen(null);
    if (created) {
      if (!filters.locale || f.locale === filters.locale) setItems((prev) => [f, ...prev]);
    } else setItems((prev) => prev.map((x) => (x.id === f.id ? f : x)).filter((x) => !filters.locale || x.locale === filters.locale));
  };

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
      updatedColumn<FAQ>(t),
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
                  onConfirm={() => remove(f, t('kb.faq.deleted'))}
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

  return (
    <>
      <KBListPage<FAQ> kind="faqs" list={list} columns={columns} onOpen={setOpen} onCreate={() => setOpen('new')} />
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
