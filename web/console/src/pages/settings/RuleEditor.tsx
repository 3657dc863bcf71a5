import { useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, List, Radio, Select, Space, Switch, TimePicker, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExperimentOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CannedReply, Rule, RuleAction, RuleCondition, RulePreview, SLAPolicy, Team } from '../../api/types';
import { PRIORITIES, priorityLabel } from '../../lib/conversations';
import { useApiError } from '../../lib/errors';
import { actionTypeLabel, eventLabel, fieldEnum, fieldLabel, opLabel, opsFor, RULE_ACTIONS, RULE_EVENTS, RULE_FIELDS, valueKind } from '../../lib/rules';

type FormValue = string | string[] | number | [Dayjs | null, Dayjs | null] | null | undefined;

export interface CondForm {
  field: string;
  op: string;
  value?: FormValue;
}

export interface RuleForm {
  name: string;
  enabled: boolean;
  events: string[];
  match: 'all' | 'any';
  stop_after: boolean;
  position: number;
  conditions: CondForm[];
  actions: RuleAction[];
}

export interface RuleChoices {
  teams: Team[];
  policies: SLAPolicy[];
  canned: CannedReply[];
}

function clock(s: string): Dayjs | null {
  const m = /^(\d\d):(\d\d)$/.exec(s.trim());
  return m ? dayjs().hour(Number(m[1])).minute(Number(m[2])).second(0).millisecond(0) : null;
}

export function ruleToForm(r: Rule | null, position: number): RuleForm {
  return {
    name: r?.name ?? '',
    enabled: r?.enabled ?? true,
    events: r?.events ?? ['conversation_created', 'message_received'],
    match: r?.match === 'any' ? 'any' : 'all',
    stop_after: !!r?.stop_after,
    position: r?.position ?? position,
    conditions: (r?.conditions ?? []).map((c) => {
      const kind = valueKind(c.field, c.op);
      let value: FormValue = c.value as FormValue;
      if (kind === 'period' && typeof c.value === 'string') {
        const [a, b] = c.value.split('-');
        value = [clock(a ?? ''), clock(b ?? '')];
      }
      return { field: c.field, op: c.op, value };
    }),
    actions: (r?.actions ?? []).map((a) => ({ ...a })),
  };
}

export function formToRule(v: RuleForm, base: Rule | null): Rule {
  const conditions: RuleCondition[] = (v.conditions ?? []).map((c) => {
    const kind = valueKind(c.field, c.op);
    let value: unknown = undefined;
    if (kind === 'text') value = typeof c.value === 'string' ? c.value.trim() : c.value;
    else if (kind === 'list') value = Array.isArray(c.value) ? (c.value as string[]).map((s) => String(s).trim()).filter(Boolean) : [];
    else if (kind === 'number') value = typeof c.value === 'number' ? c.value : undefined;
    else if (kind === 'period' && Array.isArray(c.value)) {
      const [a, b] = c.value as [Dayjs | null, Dayjs | null];
      value = `${a ? a.format('HH:mm') : ''}-${b ? (b.format('HH:mm') === '23:59' ? '24:00' : b.format('HH:mm')) : ''}`;
    }
    return value === undefined ? { field: c.field, op: c.op } : { field: c.field, op: c.op, value };
  });
  const actions: RuleAction[] = (v.actions ?? []).map((a) =>
    a.type === 'add_labels' ? { type: a.type, values: (a.values ?? []).map((s) => s.trim()).filter(Boolean) } : { type: a.type, value: (a.value ?? '').trim() },
  );
  return {
    id: base?.id ?? '',
    name: (v.name ?? '').trim(),
    enabled: !!v.enabled,
    events: v.events ?? [],
    match: v.match,
    conditions,
    actions,
    position: v.position ?? 0,
    stop_after: !!v.stop_after,
  };
}

/** The value input a condition's field and operator call for. */
function ConditionValue({ field, op, name }: { field: string; op: string; name: number }) {
  const { t } = useTranslation();
  const kind = valueKind(field, op);
  const options = fieldEnum(t, field);
  const strict = options !== null && field !== 'channel';
  const item = (child: ReactNode, extra?: object) => (
    <Form.Item name={[name, 'value']} style={{ marginBottom: 0, flex: 1, minWidth: 200 }} {...extra}>
      {child}
    </Form.Item>
  );
  switch (kind) {
    case 'none':
      return <div style={{ flex: 1, minWidth: 200 }} />;
    case 'bool':
      return (
        <Form.Item
          name={[name, 'op']}
          valuePropName="checked"
          getValueProps={(v: string) => ({ checked: v === 'is_true' })}
          normalize={(on: boolean) => (on ? 'is_true' : 'is_false')}
          style={{ marginBottom: 0, flex: 1, minWidth: 200 }}
        >
          <Switch checkedChildren={t('rules.inHours')} unCheckedChildren={t('rules.outOfHours')} data-testid="rule-cond-bool" />
        </Form.Item>
      );
    case 'number':
      return item(<InputNumber min={-1e12} max={1e12} suffix={t('rules.yuan')} style={{ width: '100%' }} data-testid="rule-cond-number" />, {
        rules: [{ required: true, message: t('validation.required') }],
      });
    case 'period':
      return item(<TimePicker.RangePicker format="HH:mm" minuteStep={5} order={false} needConfirm={false} style={{ width: '100%' }} />, {
        rules: [{ required: true, message: t('validation.required') }],
      });
    case 'text':
      return item(
        strict ? (
          <Select options={options} placeholder={t('rules.pickValue')} />
        ) : options ? (
          <Select options={options} showSearch placeholder={t('rules.pickValue')} />
        ) : (
          <Input placeholder={t('rules.valuePh')} maxLength={100} data-testid="rule-cond-text" />
        ),
        { rules: [{ required: true, whitespace: true, message: t('validation.required') }] },
      );
    default:
      return item(
        <Select
          mode={strict ? 'multiple' : 'tags'}
          options={options ?? []}
          tokenSeparators={[',', '\uff0c']}
          open={strict || options ? undefined : false}
          suffixIcon={null}
          placeholder={field === 'text' ? t('rules.keywordsPh') : t('rules.listPh')}
          data-testid="rule-cond-list"
        />,
        { rules: [{ required: true, type: 'array', min: 1, message: t('validation.required') }] },
      );
  }
}

function ConditionRow({ form, name, onRemove }: { form: FormInstance<RuleForm>; name: number; onRemove: () => void }) {
  const { t } = useTranslation();
  const field = (Form.useWatch(['conditions', name, 'field'], form) as string | undefined) ?? '';
  const op = (Form.useWatch(['conditions', name, 'op'], form) as string | undefined) ?? '';
  const ops = opsFor(field);
  const fields = (RULE_FIELDS as readonly string[]).includes(field) || !field ? [...RULE_FIELDS] : [...RULE_FIELDS, field];
  const isBool = valueKind(field, op) === 'bool';

  const onField = (f: string) => {
    const list = form.getFieldValue('conditions') as CondForm[];
    const next = [...list];
    next[name] = { field: f, op: opsFor(f)[0] ?? '', value: undefined };
    form.setFieldValue('conditions', next);
  };
  const onOp = (o: string) => {
    // A new kind of operator needs a new kind of value.
    if (valueKind(field, o) !== valueKind(field, op)) form.setFieldValue(['conditions', name, 'value'], undefined);
  };

  return (
    <div className="kf-rule-row" data-testid="rule-condition">
      <Form.Item name={[name, 'field']} style={{ marginBottom: 0, width: 170 }} rules={[{ required: true, message: t('validation.required') }]}>
        <Select
          options={fields.map((f) => ({ value: f, label: fieldLabel(t, f) }))}
          onChange={onField}
          popupMatchSelectWidth={false}
          data-testid="rule-cond-field"
        />
      </Form.Item>
      {isBool ? (
        <span className="kf-rule-is">{t('rules.is')}</span>
      ) : (
        <Form.Item name={[name, 'op']} style={{ marginBottom: 0, width: 130 }} rules={[{ required: true, message: t('validation.required') }]}>
          <Select options={ops.map((o) => ({ value: o, label: opLabel(t, o) }))} onChange={onOp} popupMatchSelectWidth={false} data-testid="rule-cond-op" />
        </Form.Item>
      )}
      <ConditionValue field={field} op={op} name={name} />
      <Button type="text" icon={<MinusCircleOutlined />} onClick={onRemove} aria-label={t('common.delete')} />
    </div>
  );
}

function ActionValue({ type, name, choices }: { type: string; name: number; choices: RuleChoices }) {
  const { t } = useTranslation();
  const req = [{ required: true, whitespace: true, message: t('validation.required') }];
  const style = { marginBottom: 0, flex: 1, minWidth: 200 };
  switch (type) {
    case 'set_team':
      return (
        <Form.Item name={[name, 'value']} style={style} rules={req}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={choices.teams.map((tm) => ({ value: tm.id, label: tm.name }))} placeholder={t('rules.pickTeam')} />
        </Form.Item>
      );
    case 'set_priority':
      return (
        <Form.Item name={[name, 'value']} style={style} rules={req}>
          <Select options={PRIORITIES.map((p) => ({ value: p, label: priorityLabel(t, p) }))} placeholder={t('rules.pickValue')} />
        </Form.Item>
      );
    case 'add_labels':
      return (
        <Form.Item name={[name, 'values']} style={style} rules={[{ required: true, type: 'array', min: 1, message: t('validation.required') }]}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '\uff0c']} placeholder={t('rules.labelsPh')} />
        </Form.Item>
      );
    case 'set_sla_policy':
      return (
        <Form.Item name={[name, 'value']} style={style} rules={req}>
          <Select options={choices.policies.map((p) => ({ value: p.id, label: p.name }))} placeholder={t('rules.pickPolicy')} />
        </Form.Item>
      );
    case 'send_canned':
      return (
        <Form.Item name={[name, 'value']} style={style} rules={req}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={choices.canned.map((c) => ({ value: c.id, label: c.shortcut ? `/${c.shortcut} · ${c.title}` : c.title }))}
            placeholder={t('rules.pickCanned')}
          />
        </Form.Item>
      );
    case 'add_note':
      return (
        <Form.Item name={[name, 'value']} style={style} rules={req}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 5 }} maxLength={2000} placeholder={t('rules.notePh')} />
        </Form.Item>
      );
    case 'call_webhook':
      return (
        <Form.Item
          name={[name, 'value']}
          style={style}
          rules={[...req, { pattern: /^https?:\/\/\S+$/i, message: t('webhooks.urlInvalid') }]}
        >
          <Input className="kf-mono" placeholder="https://shop.example.com/kefu-hook" />
        </Form.Item>
      );
  }
  return <div style={style} />;
}

function ActionRow({ form, name, choices, onRemove }: { form: FormInstance<RuleForm>; name: number; choices: RuleChoices; onRemove: () => void }) {
  const { t } = useTranslation();
  const type = (Form.useWatch(['actions', name, 'type'], form) as string | undefined) ?? '';
  const onType = (tp: string) => {
    const list = form.getFieldValue('actions') as RuleAction[];
    const next = [...list];
    next[name] = tp === 'add_labels' ? { type: tp, values: [] } : { type: tp, value: undefined };
    form.setFieldValue('actions', next);
  };
  return (
    <div className="kf-rule-row" data-testid="rule-action">
      <Form.Item name={[name, 'type']} style={{ marginBottom: 0, width: 170 }} rules={[{ required: true, message: t('validation.required') }]}>
        <Select options={RULE_ACTIONS.map((a) => ({ value: a, label: actionTypeLabel(t, a) }))} onChange={onType} popupMatchSelectWidth={false} data-testid="rule-action-type" />
      </Form.Item>
      <ActionValue type={type} name={name} choices={choices} />
      <Button type="text" icon={<MinusCircleOutlined />} onClick={onRemove} aria-label={t('common.delete')} />
    </div>
  );
}

/** "Test this rule": a message text against the rule as edited, with each condition's verdict. */
function TestPanel({ form, base }: { form: FormInstance<RuleForm>; base: Rule | null }) {
  const { t } = useTranslation();
  const showError = useApiError();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RulePreview | null>(null);

  const run = async () => {
    setBusy(true);
    try {
      const rule = formToRule(form.getFieldsValue(true) as RuleForm, base);
      setResult(await api.post<RulePreview>('/rules/preview', { rule, text }));
    } catch (err) {
      setResult(null);
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('rules.test.title')} className="kf-rule-test" data-testid="rule-test">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('rules.test.help')}
      </Typography.Paragraph>
      <Input.TextArea rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('rules.test.ph')} maxLength={2000} data-testid="rule-test-text" />
      <Button icon={<ExperimentOutlined />} onClick={() => void run()} loading={busy} style={{ marginTop: 8 }} data-testid="rule-test-run">
        {t('rules.test.run')}
      </Button>
      {result && (
        <div style={{ marginTop: 12 }} data-testid="rule-test-result">
          <Alert
            type={result.matched ? 'success' : 'warning'}
            showIcon
            title={result.matched ? t('rules.test.matched') : t('rules.test.notMatched')}
            style={{ marginBottom: 8 }}
          />
          {(result.conditions ?? []).length === 0 ? (
            <Typography.Text type="secondary">{t('rules.test.noConditions')}</Typography.Text>
          ) : (
            <List
              size="small"
              dataSource={result.conditions ?? []}
              renderItem={(c) => (
                <List.Item data-testid="rule-test-cond" data-held={c.held}>
                  <Space align="start">
                    {c.held ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <CloseCircleFilled style={{ color: '#ff4d4f' }} />}
                    <div>
                      <div>
                        <Typography.Text strong>{t('rules.test.cond', { n: c.index + 1 })}</Typography.Text> {fieldLabel(t, c.field)} · {opLabel(t, c.op)}
                        {c.absent ? (
                          <Typography.Text type="secondary"> {t('rules.test.absent')}</Typography.Text>
                        ) : c.actual ? (
                          <Typography.Text type="secondary"> {t('rules.test.actual', { v: c.actual })}</Typography.Text>
                        ) : null}
                      </div>
                      <Typography.Text type="secondary" className="kf-mono" style={{ fontSize: 12 }}>
                        {c.why}
                      </Typography.Text>
                    </div>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </div>
      )}
    </Card>
  );
}

/** The rule form: events, all/any, condition rows, action rows and the test panel. */
export default function RuleEditor({ form, base, choices }: { form: FormInstance<RuleForm>; base: Rule | null; choices: RuleChoices }) {
  const { t } = useTranslation();
  return (
    <Form<RuleForm> form={form} layout="vertical">
      <Space align="start" size={12} wrap>
        <Form.Item name="name" label={t('rules.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} style={{ width: 320 }} data-testid="rule-form-name" />
        </Form.Item>
        <Form.Item name="enabled" label={t('rules.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="position" label={t('rules.position')} tooltip={t('rules.positionHelp')}>
          <InputNumber min={0} max={100000} style={{ width: 100 }} />
        </Form.Item>
      </Space>
      <Form.Item name="events" label={t('rules.events')} rules={[{ required: true, type: 'array', min: 1, message: t('rules.pickEvent') }]}>
        <Checkbox.Group options={RULE_EVENTS.map((e) => ({ value: e, label: eventLabel(t, e) }))} />
      </Form.Item>
      <div className="kf-rule-section">
        <Space size={8} align="center" style={{ marginBottom: 8 }}>
          <Typography.Text strong>{t('rules.when')}</Typography.Text>
          <Form.Item name="match" noStyle>
            <Radio.Group
              size="small"
              optionType="button"
              options={[
                { value: 'all', label: t('rules.matchAll') },
                { value: 'any', label: t('rules.matchAny') },
              ]}
            />
          </Form.Item>
        </Space>
        <Form.List name="conditions">
          {(fields, { add, remove }) => (
            <>
              {fields.length === 0 && (
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                  {t('rules.noConditions')}
                </Typography.Paragraph>
              )}
              {fields.map((f) => (
                <ConditionRow key={f.key} form={form} name={f.name} onRemove={() => remove(f.name)} />
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ field: 'text', op: 'contains_any', value: [] })} data-testid="rule-add-condition">
                {t('rules.addCondition')}
              </Button>
            </>
          )}
        </Form.List>
      </div>
      <div className="kf-rule-section">
        <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>
          {t('rules.then')}
        </Typography.Text>
        <Form.List name="actions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <ActionRow key={f.key} form={form} name={f.name} choices={choices} onRemove={() => remove(f.name)} />
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ type: 'add_labels', values: [] })} data-testid="rule-add-action">
                {t('rules.addAction')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="stop_after" valuePropName="checked" style={{ marginTop: 12, marginBottom: 0 }}>
          <Checkbox>{t('rules.stopAfter')}</Checkbox>
        </Form.Item>
      </div>
      <TestPanel form={form} base={base} />
    </Form>
  );
}
