import { useEffect, useState } from 'react';
import { App, AutoComplete, Button, Drawer, Form, Input, Radio, Select, Space, Tag, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { FAQ, KBLocale, KBStatus } from '../../api/types';
import VariableTags, { useInsertAtCursor, variableKey, VariableText } from '../../components/VariableTags';
import { useCopy } from '../../lib/clipboard';
import { useApiError } from '../../lib/errors';
import { requiredText } from '../../lib/formRules';
import { fmtTime, fromNow } from '../../lib/format';
import { KB_LOCALES, KB_STATUSES, SHOP_VARIABLES } from '../../lib/kb';
import IntentTag from '../../components/IntentTag';
import { intentOptions } from '../../lib/labels';
import { LocaleTag, StatusTag } from './common';

interface FaqForm {
  locale: KBLocale;
  category: string;
  intent?: string;
  question: string;
  alternatives: string[];
  answer: string;
  status: KBStatus;
}

/** What a new entry starts with, e.g. a question the bot could not answer. */
export type FaqPrefill = Partial<Pick<FaqForm, 'locale' | 'intent' | 'question' | 'category'>>;

/** Creates or edits an FAQ entry; without kb.manage it only shows it. onSaved gets the saved entry. */
export default function FaqDrawer({
  faq,
  readOnly,
  categories,
  defaultLocale,
  prefill,
  onClose,
  onSaved,
}: {
  faq: FAQ | 'new' | null;
  readOnly: boolean;
  categories: string[];
  defaultLocale?: string;
  /** Values a new entry starts with. */
  prefill?: FaqPrefill;
  onClose: () => void;
  onSaved: (f: FAQ, created: boolean) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<FaqForm>();
  const [saving, setSaving] = useState(false);
  const { ref: answerRef, insert } = useInsertAtCursor(form, 'answer');
  const isNew = faq === 'new';

  useEffect(() => {
    if (!faq || readOnly) return;
    form.resetFields();
    if (faq === 'new') {
      form.setFieldsValue({
        locale: (KB_LOCALES as string[]).includes(defaultLocale ?? '') ? (defaultLocale as KBLocale) : 'zh-CN',
        category: '',
        intent: undefined,
        question: '',
        alternatives: [],
        answer: '',
        status: 'published',
        ...prefill,
      });
    } else {
      form.setFieldsValue({ ...faq, intent: faq.intent || undefined, alternatives: faq.alternatives ?? [] });
    }
  }, [faq, form, defaultLocale, prefill, readOnly]);

  const save = async (v: FaqForm) => {
    if (!faq) return;
    setSaving(true);
    try {
      const body = {
        locale: v.locale,
        category: (v.category ?? '').trim(),
        intent: v.intent ?? '',
        question: v.question.trim(),
        alternatives: [...new Set((v.alternatives ?? []).map((a) => a.trim()).filter(Boolean))],
        answer: v.answer.trim(),
        status: v.status,
      };
      const saved = isNew ? await api.post<FAQ>('/kb/faqs', body) : await api.patch<FAQ>(`/kb/faqs/${encodeURIComponent(faq.id)}`, body);
      message.success(isNew ? t('kb.faq.created') : t('common.saved'));
      onSaved(saved, isNew);
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      title={readOnly ? t('kb.faq.viewTitle') : isNew ? t('kb.faq.create') : t('kb.faq.editTitle')}
      open={!!faq}
      onClose={onClose}
      size={640}
      forceRender={!readOnly}
      data-testid="kb-faq-drawer"
      footer={
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          {readOnly ? (
            <Button onClick={onClose}>{t('kb.close')}</Button>
          ) : (
            <Space>
              <Button onClick={onClose}>{t('common.cancel')}</Button>
              <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="kb-faq-save">
                {isNew ? t('common.create') : t('common.save')}
              </Button>
            </Space>
          )}
        </div>
      }
    >
      {readOnly ? (
        faq && faq !== 'new' && <FaqView faq={faq} />
      ) : (
        <Form<FaqForm> form={form} layout="vertical" onFinish={(v) => void save(v)} className="kf-kb-form">
          <div className="kf-kb-form-row">
            <Form.Item name="locale" label={t('kb.field.locale')} rules={[{ required: true, message: t('validation.required') }]}>
              <Radio.Group optionType="button" options={KB_LOCALES.map((l) => ({ value: l, label: t(`kb.localeName.${l}`) }))} data-testid="kb-faq-form-locale" />
            </Form.Item>
            <Form.Item name="status" label={t('kb.field.status')} extra={t('kb.faq.statusHelp')}>
              <Radio.Group optionType="button" options={KB_STATUSES.map((s) => ({ value: s, label: t(`kb.status.${s}`) }))} data-testid="kb-faq-form-status" />
            </Form.Item>
          </div>
          <div className="kf-kb-form-row">
            <Form.Item name="intent" label={t('kb.field.intent')} extra={t('kb.faq.intentHelp')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('kb.field.intentPlaceholder')}
                options={intentOptions(t)}
                data-testid="kb-faq-form-intent"
              />
            </Form.Item>
            <Form.Item name="category" label={t('kb.field.category')} rules={[{ max: 60, message: t('validation.maxLength', { n: 60 }) }]}>
              <AutoComplete
                options={categories.map((c) => ({ value: c }))}
                placeholder={t('kb.field.categoryPlaceholder')}
                showSearch={{ filterOption: (input, opt) => String(opt?.value ?? '').toLowerCase().includes(input.toLowerCase()) }}
                data-testid="kb-faq-form-category"
              />
            </Form.Item>
          </div>
          <Form.Item name="question" label={t('kb.faq.question')} rules={requiredText(t, 300)}>
            <Input placeholder={t('kb.faq.questionPlaceholder')} maxLength={300} data-testid="kb-faq-form-question" />
          </Form.Item>
          <Form.Item
            name="alternatives"
            label={t('kb.faq.alternatives')}
            extra={t('kb.faq.alternativesHelp')}
            rules={[{ type: 'array', max: 50, message: t('kb.faq.alternativesMax', { n: 50 }) }]}
          >
            <Select
              mode="tags"
              open={false}
              suffixIcon={null}
              tokenSeparators={['\n']}
              placeholder={t('kb.faq.alternativesPlaceholder')}
              data-testid="kb-faq-form-alternatives"
            />
          </Form.Item>
          <Form.Item label={t('kb.faq.answer')} required>
            <VariableTags
              label={t('kb.variables')}
              variables={SHOP_VARIABLES}
              help={(v) => t(`kb.variableHelp.${variableKey(v)}`)}
              onPick={insert}
              testId="kb-variable"
            />
            <Form.Item name="answer" noStyle rules={requiredText(t, 5000)}>
              <Input.TextArea
                ref={answerRef}
                autoSize={{ minRows: 6, maxRows: 16 }}
                maxLength={5000}
                showCount
                placeholder={t('kb.faq.answerPlaceholder', { phone: SHOP_VARIABLES[3], hours: SHOP_VARIABLES[1] })}
                data-testid="kb-faq-form-answer"
              />
            </Form.Item>
          </Form.Item>
        </Form>
      )}
    </Drawer>
  );
}

/** An FAQ entry as a reader sees it, with its answer ready to copy into a reply. */
function FaqView({ faq }: { faq: FAQ }) {
  const { t } = useTranslation();
  const copy = useCopy();
  const alts = faq.alternatives ?? [];
  return (
    <div className="kf-kb-view" data-testid="kb-faq-view">
      <Space size={8} wrap>
        <LocaleTag locale={faq.locale} />
        {faq.intent && <IntentTag intent={faq.intent} />}
        {faq.category && <Tag style={{ marginInlineEnd: 0 }}>{faq.category}</Tag>}
        <StatusTag status={faq.status} />
      </Space>
      <div className="kf-kb-view-q">{faq.question}</div>
      {alts.length > 0 && (
        <>
          <div className="kf-kb-view-label">{t('kb.faq.alternatives')}</div>
          <div className="kf-kb-view-alts">
            {alts.map((a) => (
              <Tag key={a} bordered={false}>
                {a}
              </Tag>
            ))}
          </div>
        </>
      )}
      <div className="kf-kb-view-label">
        <span>{t('kb.faq.answer')}</span>
        <Button size="small" type="link" icon={<CopyOutlined />} onClick={() => void copy(faq.answer)} data-testid="kb-faq-copy">
          {t('common.copy')}
        </Button>
      </div>
      <div className="kf-kb-view-answer">
        <VariableText text={faq.answer} />
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }} title={fmtTime(faq.updated_at)}>
        {t('kb.article.updatedAt', { time: fromNow(faq.updated_at) })}
      </Typography.Text>
    </div>
  );
}
