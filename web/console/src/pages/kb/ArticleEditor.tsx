import { useCallback, useDeferredValue, useEffect, useRef, useState } from 'react';
import type { ReactNode, UIEvent } from 'react';
import { App, AutoComplete, Button, Card, Dropdown, Form, Input, Popconfirm, Radio, Result, Segmented, Select, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import {
  ArrowLeftOutlined,
  BoldOutlined,
  CodeOutlined,
  DeleteOutlined,
  FontSizeOutlined,
  HistoryOutlined,
  ItalicOutlined,
  LinkOutlined,
  OrderedListOutlined,
  SaveOutlined,
  TableOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import type { Article, ArticleRevision, KBLocale, KBStatus } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import LoadError from '../../components/LoadError';
import PageHeader from '../../components/PageHeader';
import { useInsertAtCursor, variableKey } from '../../components/VariableTags';
import type { TextEdit } from '../../components/VariableTags';
import { useApiError } from '../../lib/errors';
import { requiredText } from '../../lib/formRules';
import { fmtTime, fromNow } from '../../lib/format';
import { KB_LOCALES, KB_STATUSES, SHOP_VARIABLES, SLUG_PATTERN, slugify } from '../../lib/kb';
import Markdown from '../../lib/markdown';
import { useDirectory } from '../../lib/useDirectory';
import { useMediaQuery } from '../../lib/useMediaQuery';
import { useRemove } from '../../lib/useRemove';
import type { EditorState } from './Articles';
import IntentTag from '../../components/IntentTag';
import { intentOptions } from '../../lib/labels';
import { LocaleTag, StatusTag } from './common';
import RevisionsDrawer from './RevisionsDrawer';

interface ArticleForm {
  locale: KBLocale;
  slug: string;
  title: string;
  body: string;
  category: string;
  intent?: string;
  status: KBStatus;
}

type View = 'split' | 'write' | 'preview';

const FIELDS: (keyof ArticleForm)[] = ['locale', 'slug', 'title', 'body', 'category', 'intent', 'status'];

const toForm = (a: Article): ArticleForm => ({
  locale: a.locale,
  slug: a.slug,
  title: a.title,
  body: a.body,
  category: a.category,
  intent: a.intent || undefined,
  status: a.status,
});

const blank = (locale?: string): ArticleForm => ({
  locale: (KB_LOCALES as string[]).includes(locale ?? '') ? (locale as KBLocale) : 'zh-CN',
  slug: '',
  title: '',
  body: '',
  category: '',
  intent: undefined,
  status: 'draft',
});

/** Wraps the selection in before/after (or a placeholder when nothing is selected) and selects the inside. */
const wrap =
  (before: string, after: string, placeholder: string): TextEdit =>
  (v, s, e) => {
    const sel = v.slice(s, e) || placeholder;
    return { value: v.slice(0, s) + before + sel + after + v.slice(e), start: s + before.length, end: s + before.length + sel.length };
  };

/** Puts a prefix before every line the selection touches. */
const prefixLines =
  (prefix: (i: number) => string): TextEdit =>
  (v, s, e) => {
    const from = v.lastIndexOf('\n', s - 1) + 1;
    const nl = v.indexOf('\n', e);
    const to = nl < 0 ? v.length : nl;
    const block = v
      .slice(from, to)
      .split('\n')
      .map((l, i) => prefix(i) + l)
      .join('\n');
    return { value: v.slice(0, from) + block + v.slice(to), start: from, end: from + block.length };
  };

/** Inserts a block on its own lines at the cursor. */
const block =
  (text: string): TextEdit =>
  (v, s, e) => {
    const pre = s > 0 && v[s - 1] !== '\n' ? '\n\n' : '';
    const post = v[e] && v[e] !== '\n' ? '\n\n' : '\n';
    const ins = pre + text + post;
    return { value: v.slice(0, s) + ins + v.slice(e), start: s + ins.length, end: s + ins.length };
  };

const ignore = () => {};

export default function ArticleEditorPage() {
  const { t } = useTranslation();
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const location = useLocation();
  const navigate = useNavigate();
  const state = (location.state ?? {}) as EditorState;
  const { has } = useAuth();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const del = useRemove();
  const readOnly = !has('kb.manage');
  const narrow = useMediaQuery('(max-width: 1100px)');
  const dir = useDirectory(ignore);

  const [form] = Form.useForm<ArticleForm>();
  const [article, setArticle] = useState<Article | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [baseline, setBaseline] = useState<ArticleForm>(() => blank(state.locale));
  const [saving, setSaving] = useState(false);
  const [history, setHistory] = useState(false);
  const [view, setView] = useState<View>('split');
  const slugTouched = useRef(false);
  const { ref: bodyRef, insert, edit } = useInsertAtCursor(form, 'body');
  const previewRef = useRef<HTMLDivElement>(null);

  const values = Form.useWatch((v: ArticleForm) => v, form) as ArticleForm | undefined;
  const body = values?.body ?? baseline.body;
  const previewSource = useDeferredValue(body);
  const dirty = !!values && FIELDS.some((k) => (values[k] ?? '') !== (baseline[k] ?? ''));
  const effectiveView: View = narrow && view === 'split' ? 'write' : view;

  const leave = () => navigate(state.back ?? '/kb/articles');
  const goBack = () =>
    dirty
      ? modal.confirm({ title: t('kb.article.leaveTitle'), content: t('kb.article.leaveDesc'), okText: t('kb.article.leave'), okButtonProps: { danger: true }, onOk: leave })
      : leave();


  // Load the article (or start a new one).
  useEffect(() => {
    setLoadErr(null);
    if (isNew) {
      const b = blank(state.locale);
      setArticle(null);
      setBaseline(b);
      if (!readOnly) form.setFieldsValue(b);
      slugTouched.current = false;
      return;
    }
    if (article?.id === id) return; // just created; already here
    const ctl = new AbortController();
    setArticle(null);
    api
      .get<Article>(`/kb/articles/${encodeURIComponent(id)}`, undefined, ctl.signal)
      .then((a) => {
        setArticle(a);
        setBaseline(toForm(a));
        if (!readOnly) form.setFieldsValue(toForm(a));
      })
      .catch((err) => {
        if ((err as Error).name !== 'AbortError') setLoadErr(err);
      });
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, isNew, form, readOnly]);

  const save = async () => {
    if (readOnly || saving) return;
    let v: ArticleForm;
    try {
      v = await form.validateFields();
    } catch (err) {
      const first = (err as { errorFields?: { name: (string | number)[] }[] }).errorFields?.[0]?.name;
      if (first) form.scrollToField(first, { block: 'center', focus: true });
      return;
    }
    setSaving(true);
    try {
      const payload: Record<string, string> = {
        locale: v.locale,
        slug: v.slug.trim(),
        title: v.title.trim(),
        body: v.body,
        category: (v.category ?? '').trim(),
        intent: v.intent ?? '',
        status: v.status,
      };
      // An edit sends what changed; an article's language is fixed once it exists.
      const patch = Object.fromEntries(
        Object.entries(payload).filter(([k, val]) => k !== 'locale' && val !== (baseline[k as keyof ArticleForm] ?? '')),
      );
      const a = isNew
        ? await api.post<Article>('/kb/articles', payload)
        : await api.patch<Article>(`/kb/articles/${encodeURIComponent(id)}`, patch);
      setArticle(a);
      setBaseline(toForm(a));
      form.setFieldsValue(toForm(a));
      if (isNew) {
        message.success(t('kb.article.created'));
        navigate(`/kb/articles/${encodeURIComponent(a.id)}`, { replace: true, state });
      } else message.success(t('kb.article.savedRev', { n: a.revision }));
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  // Ctrl/⌘+S saves.
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void saveRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Leaving the page with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty]);

  const remove = () => del(`/kb/articles/${encodeURIComponent(id)}`, t('kb.article.deleted'), leave);

  const restore = (r: ArticleRevision) => {
    form.setFieldsValue({ title: r.title, body: r.body });
    setHistory(false);
    message.info(t('kb.rev.restored', { n: r.revision }));
  };

  const onValuesChange = (changed: Partial<ArticleForm>) => {
    if ('slug' in changed) slugTouched.current = true;
    if (isNew && !slugTouched.current && changed.title !== undefined) {
      const s = slugify(changed.title);
      if (s) form.setFieldValue('slug', s);
    }
  };

  // Keep the preview scrolled to the same share as the text.
  const syncScroll = useCallback((e: UIEvent<HTMLTextAreaElement>) => {
    const el = e.currentTarget;
    const pv = previewRef.current;
    if (!pv || el.scrollHeight <= el.clientHeight) return;
    pv.scrollTop = (el.scrollTop / (el.scrollHeight - el.clientHeight)) * (pv.scrollHeight - pv.clientHeight);
  }, []);

  if (loadErr) {
    return <LoadError error={loadErr} notFound={t('kb.article.notFound')} backLabel={t('kb.article.backToList')} onBack={goBack} />;
  }

  if (readOnly && isNew) {
    return <Result status="403" title={t('errors.forbiddenTitle')} subTitle={t('errors.forbiddenPage')} />;
  }

  if (!isNew && !article) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }

  const tools: { key: string; icon: ReactNode; label: string; run: TextEdit }[] = [
    { key: 'h', icon: <FontSizeOutlined />, label: t('kb.md.heading'), run: prefixLines(() => '## ') },
    { key: 'b', icon: <BoldOutlined />, label: t('kb.md.bold'), run: wrap('**', '**', t('kb.md.boldText')) },
    { key: 'i', icon: <ItalicOutlined />, label: t('kb.md.italic'), run: wrap('*', '*', t('kb.md.italicText')) },
    { key: 'ul', icon: <UnorderedListOutlined />, label: t('kb.md.bullets'), run: prefixLines(() => '- ') },
    { key: 'ol', icon: <OrderedListOutlined />, label: t('kb.md.numbers'), run: prefixLines((i) => `${i + 1}. `) },
    { key: 'link', icon: <LinkOutlined />, label: t('kb.md.link'), run: wrap('[', '](https://)', t('kb.md.linkText')) },
    { key: 'code', icon: <CodeOutlined />, label: t('kb.md.code'), run: wrap('`', '`', 'code') },
    {
      key: 'table',
      icon: <TableOutlined />,
      label: t('kb.md.table'),
      run: block(`| ${t('kb.md.col')} 1 | ${t('kb.md.col')} 2 |\n| --- | --- |\n|  |  |`),
    },
  ];

  const author = article ? dir.agentName(article.author_id) : '';
  const title = values?.title?.trim() || (isNew ? t('kb.article.create') : article?.title);

  const header = (
    <PageHeader
      title={
        <span className="kf-kb-edit-title">
          <Tooltip title={t('kb.article.backToList')}>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={goBack} aria-label={t('common.back')} data-testid="kb-article-back" />
          </Tooltip>
          <span className="kf-kb-edit-name">{title}</span>
        </span>
      }
      sub={
        <Space size={12} wrap className="kf-kb-edit-sub">
          {article ? (
            <>
              <StatusTag status={article.status} />
              <span className="kf-mono">{t('kb.article.rev', { n: article.revision })}</span>
              <span title={fmtTime(article.updated_at)}>
                {author ? t('kb.article.updatedBy', { time: fromNow(article.updated_at), name: author }) : t('kb.article.updatedAt', { time: fromNow(article.updated_at) })}
              </span>
            </>
          ) : (
            <span>{t('kb.article.newHint')}</span>
          )}
          {dirty && !readOnly && (
            <Tag color="warning" bordered={false} data-testid="kb-article-dirty">
              {t('kb.article.unsaved')}
            </Tag>
          )}
        </Space>
      }
      extra={
        <>
          {article && (
            <Button icon={<HistoryOutlined />} onClick={() => setHistory(true)} data-testid="kb-article-history">
              {t('kb.rev.title')}
            </Button>
          )}
          {article && !readOnly && (
            <Popconfirm
              title={t('kb.article.deleteConfirm')}
              description={<div className="kf-kb-confirm">{t('kb.article.deleteHint', { title: article.title })}</div>}
              onConfirm={() => void remove()}
              okButtonProps={{ danger: true }}
            >
              <Button danger icon={<DeleteOutlined />} data-testid="kb-article-delete">
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
          {!readOnly && (
            <Tooltip title={t('kb.article.saveKey')}>
              <Button type="primary" icon={<SaveOutlined />} loading={saving} disabled={!isNew && !dirty} onClick={() => void save()} data-testid="kb-article-save">
                {isNew ? t('common.create') : t('common.save')}
              </Button>
            </Tooltip>
          )}
        </>
      }
    />
  );

  const revisions = article && (
    <RevisionsDrawer
      article={article}
      open={history}
      onClose={() => setHistory(false)}
      onRestore={readOnly ? undefined : restore}
      authorName={dir.agentName}
    />
  );

  // Readers (agents who answer from the knowledge base) get the article as a page.
  if (readOnly && article) {
    return (
      <div className="kf-kb-editor">
        {header}
        <Card variant="borderless" className="kf-kb-read">
          <div className="kf-kb-read-meta">
            <LocaleTag locale={article.locale} />
            {article.intent && <IntentTag intent={article.intent} />}
            {article.category && <Tag style={{ marginInlineEnd: 0 }}>{article.category}</Tag>}
            <span className="kf-mono kf-kb-slug">{article.slug}</span>
          </div>
          <Markdown source={article.body} testId="kb-article-preview" />
        </Card>
        {revisions}
      </div>
    );
  }

  return (
    <div className="kf-kb-editor">
      {header}
      <Form<ArticleForm> form={form} layout="vertical" initialValues={baseline} onValuesChange={onValuesChange}>
        <Card variant="borderless" className="kf-kb-meta-card">
          <div className="kf-kb-meta">
            <Form.Item name="title" label={t('kb.article.titleField')} className="wide" rules={requiredText(t, 200)}>
              <Input placeholder={t('kb.article.titlePlaceholder')} maxLength={200} data-testid="kb-article-title" />
            </Form.Item>
            <Form.Item
              name="slug"
              label={t('kb.article.slug')}
              tooltip={t('kb.article.slugHelp')}
              className="wide"
              rules={[
                { required: true, message: t('validation.required') },
                { pattern: SLUG_PATTERN, message: t('kb.article.slugPattern') },
              ]}
            >
              <Input placeholder="returns-7-day" className="kf-mono" data-testid="kb-article-slug" />
            </Form.Item>
            <Form.Item
              name="locale"
              label={t('kb.field.locale')}
              tooltip={isNew ? undefined : t('kb.article.localeFixed')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Radio.Group
                optionType="button"
                disabled={!isNew}
                options={KB_LOCALES.map((l) => ({ value: l, label: t(`kb.localeName.${l}`) }))}
                data-testid="kb-article-locale"
              />
            </Form.Item>
            <Form.Item name="status" label={t('kb.field.status')} tooltip={t('kb.article.statusHelp')}>
              <Radio.Group optionType="button" options={KB_STATUSES.map((s) => ({ value: s, label: t(`kb.status.${s}`) }))} data-testid="kb-article-status" />
            </Form.Item>
            <Form.Item name="intent" label={t('kb.field.intent')}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('kb.field.intentPlaceholder')} options={intentOptions(t)} data-testid="kb-article-intent" />
            </Form.Item>
            <Form.Item name="category" label={t('kb.field.category')} rules={[{ max: 60, message: t('validation.maxLength', { n: 60 }) }]}>
              <AutoComplete
                options={(state.categories ?? []).map((c) => ({ value: c }))}
                showSearch={{ filterOption: (input, opt) => String(opt?.value ?? '').toLowerCase().includes(input.toLowerCase()) }}
                placeholder={t('kb.field.categoryPlaceholder')}
                data-testid="kb-article-category"
              />
            </Form.Item>
          </div>
        </Card>

        <Card variant="borderless" className="kf-md-card" styles={{ body: { padding: 0 } }}>
          <div className="kf-md-toolbar">
            <Space size={2} wrap>
              {tools.map((tool) => (
                <Tooltip key={tool.key} title={tool.label}>
                  <Button type="text" size="small" icon={tool.icon} onClick={() => edit(tool.run)} aria-label={tool.label} disabled={effectiveView === 'preview'} />
                </Tooltip>
              ))}
              <Dropdown
                disabled={effectiveView === 'preview'}
                menu={{
                  items: SHOP_VARIABLES.map((v) => ({
                    key: v,
                    label: (
                      <span>
                        <span className="kf-mono">{v}</span>
                        <span className="kf-md-var-help">{t(`kb.variableHelp.${variableKey(v)}`)}</span>
                      </span>
                    ),
                  })),
                  onClick: ({ key }) => insert(key),
                }}
              >
                <Button type="text" size="small" data-testid="kb-article-variables">
                  <span className="kf-mono">{'{{ }}'}</span> {t('kb.md.variable')}
                </Button>
              </Dropdown>
            </Space>
            <Segmented
              size="small"
              value={effectiveView}
              onChange={(v) => setView(v as View)}
              options={[
                ...(narrow ? [] : [{ value: 'split', label: t('kb.md.split') }]),
                { value: 'write', label: t('kb.md.write') },
                { value: 'preview', label: t('kb.md.preview') },
              ]}
              data-testid="kb-article-view"
            />
          </div>
          <div className={`kf-md-split view-${effectiveView}`}>
            <div className="kf-md-pane write" hidden={effectiveView === 'preview'}>
              <Form.Item name="body" className="kf-md-item" rules={[{ required: true, whitespace: true, message: t('kb.article.bodyRequired') }]}>
                <Input.TextArea
                  ref={bodyRef}
                  variant="borderless"
                  className="kf-md-input kf-mono"
                  placeholder={t('kb.article.bodyPlaceholder')}
                  onScroll={syncScroll}
                  spellCheck={false}
                  data-testid="kb-article-body"
                />
              </Form.Item>
            </div>
            {effectiveView !== 'write' && (
              <div className="kf-md-pane preview" ref={previewRef}>
                <div className="kf-md-pane-label">{t('kb.md.preview')}</div>
                {previewSource.trim() ? (
                  <Markdown source={previewSource} testId="kb-article-preview" />
                ) : (
                  <Typography.Text type="secondary" data-testid="kb-article-preview">
                    {t('kb.md.nothing')}
                  </Typography.Text>
                )}
              </div>
            )}
          </div>
          <div className="kf-md-foot">
            <span>{t('kb.md.help')}</span>
            <span>{t('kb.md.chars', { n: body.length })}</span>
          </div>
        </Card>
      </Form>

      {revisions}
    </div>
  );
}
