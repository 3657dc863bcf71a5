import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Result, Row, Skeleton, Space, Switch, Tag, TimePicker, Typography } from 'antd';
import { DeleteOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Settings } from '../api/types';
import PageHeader from '../components/PageHeader';
import { errorText, useApiError } from '../lib/errors';
import { SHOP_VARIABLES } from '../lib/kb';

dayjs.extend(customParseFormat);

export const MIN_RETENTION_DAYS = 183;

type SettingsForm = Omit<Settings, 'backup_time'> & { backup_time: Dayjs | null };

/** The shop fields, with the {{variable}} each fills in knowledge-base answers. */
const SHOP_FIELDS: { name: keyof Settings; variable: string }[] = [
  { name: 'shop_name', variable: SHOP_VARIABLES[0] },
  { name: 'shop_hours', variable: SHOP_VARIABLES[1] },
  { name: 'shop_phone', variable: SHOP_VARIABLES[3] },
  { name: 'shop_return_address', variable: SHOP_VARIABLES[2] },
  { name: 'shop_free_shipping_threshold', variable: SHOP_VARIABLES[4] },
];

/** Read-only fields of GET /settings that PUT does not take. */
const READ_ONLY = new Set(['llm_api_key_set', 'llm_api_key_clear']);

function toForm(s: Settings): SettingsForm {
  const tm = dayjs(s.backup_time || '03:00', 'HH:mm');
  return { ...s, llm_api_key: '', backup_time: tm.isValid() ? tm : null };
}

/**
 * The PUT body: the whole settings object as the server sent it, with the
 * form's values; only fields the server knows (it rejects others). The API key
 * goes only when typed ("" keeps the stored one) or when it is to be removed.
 */
function toBody(loaded: Settings, v: SettingsForm, clearKey: boolean): Settings {
  const merged: Record<string, unknown> = { ...loaded, ...v, backup_time: v.backup_time ? v.backup_time.format('HH:mm') : loaded.backup_time || '03:00' };
  const body: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(merged)) if (k in loaded && !READ_ONLY.has(k)) body[k] = typeof val === 'string' && k !== 'backup_time' ? val.trim() : val;
  if ('llm_enabled' in loaded) {
    body.llm_api_key = clearKey ? '' : (v.llm_api_key ?? '').trim();
    if (clearKey) body.llm_api_key_clear = true;
  }
  return body as unknown as Settings;
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<SettingsForm>();
  const [loaded, setLoaded] = useState<Settings | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);
  const backupOn = Form.useWatch('backup_enabled', form);
  const llmOn = Form.useWatch('llm_enabled', form);
  const [clearKey, setClearKey] = useState(false);
  const hasShop = !!loaded && 'shop_name' in loaded;
  const hasLLM = !!loaded && 'llm_enabled' in loaded;

  const load = async () => {
    setLoadErr(null);
    try {
      const s = await api.get<Settings>('/settings');
      setLoaded(s);
      form.setFieldsValue(toForm(s));
      setDirty(false);
      setClearKey(false);
    } catch (err) {
      setLoadErr(err);
    }
  };

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const save = async (v: SettingsForm) => {
    setSaving(true);
    try {
      if (!loaded) return;
      const body = toBody(loaded, v, clearKey);
      const s = await api.put<Settings>('/settings', body);
      const next = s ?? { ...body, llm_api_key: '', llm_api_key_set: clearKey ? false : !!loaded.llm_api_key_set || !!body.llm_api_key };
      setLoaded(next);
      form.setFieldsValue(toForm(next));
      setDirty(false);
      setClearKey(false);
      message.success(t('settings.saved'));
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  if (loadErr) {
    return (
      <Result
        status="warning"
        title={t('errors.loadFailed')}
        subTitle={errorText(loadErr, t)}
        extra={<Button onClick={() => void load()}>{t('common.retry')}</Button>}
      />
    );
  }

  const num = (name: keyof Settings, label: string, help: string, min: number, max: number, unit: string, minMsg?: string) => (
    <Form.Item
      name={name}
      label={label}
      extra={help}
      rules={[
        { required: true, message: t('validation.required') },
        ...(minMsg
          ? [
              { type: 'number' as const, min, message: minMsg },
              { type: 'number' as const, max, message: t('validation.range', { min, max }) },
            ]
          : [{ type: 'number' as const, min, max, message: t('validation.range', { min, max }) }]),
      ]}
    >
      <InputNumber precision={0} style={{ width: 200 }} suffix={unit} />
    </Form.Item>
  );

  return (
    <>
      <PageHeader
        title={t('settings.title')}
        sub={t('settings.sub')}
        extra={
          <Space>
            <Button disabled={!dirty || saving} onClick={() => {
                if (!loaded) return;
                form.resetFields();
                form.setFieldsValue(toForm(loaded));
                setDirty(false);
                setClearKey(false);
              }}>
              {t('common.reset')}
            </Button>
            <Button type="primary" icon={<SaveOutlined />} loading={saving} disabled={!loaded} onClick={() => form.submit()} data-testid="settings-save">
              {t('common.save')}
            </Button>
          </Space>
        }
      />
      {!loaded ? (
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      ) : null}
      <Form<SettingsForm>
        form={form}
        layout="vertical"
        onFinish={(v) => void save(v)}
        onValuesChange={() => setDirty(true)}
        style={{ display: loaded ? undefined : 'none' }}
      >
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12} xl={8}>
            <Card variant="borderless" title={t('settings.secSecurity')} style={{ height: '100%' }}>
              {num('session_hours', t('settings.sessionHours'), t('settings.sessionHoursHelp'), 1, 720, t('units.hours'))}
              {num('login_max_failures', t('settings.loginMaxFailures'), t('settings.loginMaxFailuresHelp'), 1, 100, t('units.times'))}
              {num('lockout_minutes', t('settings.lockoutMinutes'), t('settings.lockoutMinutesHelp'), 1, 1440, t('units.minutes'))}
            </Card>
          </Col>
          <Col xs={24} lg={12} xl={8}>
            <Card variant="borderless" title={t('settings.secPrivacy')} style={{ height: '100%' }}>
              {num('reveal_limit_per_hour', t('settings.revealLimit'), t('settings.revealLimitHelp'), 1, 10000, t('units.perHour'))}
              {num(
                'audit_retention_days',
                t('settings.auditRetention'),
                t('settings.auditRetentionHelp', { min: MIN_RETENTION_DAYS }),
                MIN_RETENTION_DAYS,
                3650,
                t('units.days'),
                t('settings.auditRetentionMin', { min: MIN_RETENTION_DAYS }),
              )}
            </Card>
          </Col>
          <Col xs={24} lg={12} xl={8}>
            <Card variant="borderless" title={t('settings.secBackup')}>
              <Form.Item name="backup_enabled" label={t('settings.backupEnabled')} valuePropName="checked" extra={t('settings.backupEnabledHelp')}>
                <Switch />
              </Form.Item>
              <Form.Item
                name="backup_time"
                label={t('settings.backupTime')}
                extra={t('settings.backupTimeHelp')}
                rules={[{ required: !!backupOn, message: t('validation.required') }]}
              >
                <TimePicker format="HH:mm" minuteStep={5} disabled={!backupOn} style={{ width: 200 }} allowClear={false} />
              </Form.Item>
              <Form.Item
                name="backup_keep"
                label={t('settings.backupKeep')}
                extra={t('settings.backupKeepHelp')}
                rules={[
                  { required: true, message: t('validation.required') },
                  { type: 'number', min: 1, max: 365, message: t('validation.range', { min: 1, max: 365 }) },
                ]}
              >
                <InputNumber precision={0} style={{ width: 200 }} disabled={!backupOn} suffix={t('units.copies')} />
              </Form.Item>
            </Card>
          </Col>
        </Row>
        {(hasShop || hasLLM) && (
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            {hasShop && (
              <Col xs={24} xl={12}>
                <Card variant="borderless" title={t('settings.secShop')} style={{ height: '100%' }} data-testid="settings-shop">
                  <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginTop: -4 }}>
                    {t('settings.shopHelp', { example: SHOP_VARIABLES[0] })}
                  </Typography.Paragraph>
                  {SHOP_FIELDS.map((f) => (
                    <Form.Item
                      key={f.name}
                      name={f.name}
                      label={
                        <span>
                          {t(`settings.shopField.${f.name}`)}
                          <span className="kf-mono kf-settings-var">{f.variable}</span>
                        </span>
                      }
                      rules={[{ max: 200, message: t('validation.maxLength', { n: 200 }) }]}
                    >
                      <Input maxLength={200} placeholder={t(`settings.shopPlaceholder.${f.name}`)} data-testid={`settings-${f.name}`} />
                    </Form.Item>
                  ))}
                </Card>
              </Col>
            )}
            {hasLLM && (
              <Col xs={24} xl={12}>
                <Card
                  variant="borderless"
                  title={t('settings.secLLM')}
                  style={{ height: '100%' }}
                  data-testid="settings-llm"
                  extra={llmOn ? <Tag color="processing">{t('settings.llmOn')}</Tag> : <Tag>{t('settings.llmOff')}</Tag>}
                >
                  <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('settings.llmGrounded')} description={t('settings.llmGroundedDesc')} />
                  <Form.Item name="llm_enabled" label={t('settings.llmEnabled')} valuePropName="checked" extra={t('settings.llmEnabledHelp')}>
                    <Switch data-testid="settings-llm-enabled" />
                  </Form.Item>
                  <Form.Item
                    name="llm_base_url"
                    label={t('settings.llmBaseUrl')}
                    extra={t('settings.llmBaseUrlHelp')}
                    rules={[
                      { required: !!llmOn, whitespace: true, message: t('validation.required') },
                      { pattern: /^https?:\/\/\S+$/, message: t('settings.llmBaseUrlInvalid') },
                    ]}
                  >
                    <Input placeholder="https://api.example.com/v1" className="kf-mono" data-testid="settings-llm-base-url" />
                  </Form.Item>
                  <Form.Item
                    name="llm_model"
                    label={t('settings.llmModel')}
                    extra={t('settings.llmModelHelp')}
                    rules={[{ required: !!llmOn, whitespace: true, message: t('validation.required') }]}
                  >
                    <Input placeholder="deepseek-chat" className="kf-mono" data-testid="settings-llm-model" />
                  </Form.Item>
                  <Form.Item
                    label={
                      <Space size={8}>
                        {t('settings.llmApiKey')}
                        {loaded?.llm_api_key_set && !clearKey ? (
                          <Tag color="success" bordered={false} data-testid="settings-llm-key-state">
                            {t('settings.llmApiKeySet')}
                          </Tag>
                        ) : (
                          <Tag bordered={false} data-testid="settings-llm-key-state">
                            {t('settings.llmApiKeyNotSet')}
                          </Tag>
                        )}
                      </Space>
                    }
                    extra={
                      clearKey
                        ? t('settings.llmApiKeyWillClear')
                        : loaded?.llm_api_key_set
                          ? t('settings.llmApiKeyKeep')
                          : t('settings.llmApiKeyHelp')
                    }
                  >
                    <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
                      <Form.Item name="llm_api_key" noStyle>
                        <Input.Password
                          autoComplete="new-password"
                          disabled={clearKey}
                          placeholder={loaded?.llm_api_key_set ? t('settings.llmApiKeySetPlaceholder') : t('settings.llmApiKeyPlaceholder')}
                          data-testid="settings-llm-api-key"
                        />
                      </Form.Item>
                      {loaded?.llm_api_key_set &&
                        (clearKey ? (
                          <Button
                            icon={<UndoOutlined />}
                            onClick={() => setClearKey(false)}
                            data-testid="settings-llm-key-undo"
                          >
                            {t('settings.llmApiKeyUndo')}
                          </Button>
                        ) : (
                          <Button
                            danger
                            icon={<DeleteOutlined />}
                            onClick={() => {
                              setClearKey(true);
                              form.setFieldValue('llm_api_key', '');
                              setDirty(true);
                            }}
                            data-testid="settings-llm-key-clear"
                          >
                            {t('settings.llmApiKeyClear')}
                          </Button>
                        ))}
                    </div>
                  </Form.Item>
                </Card>
              </Col>
            )}
          </Row>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 13 }}>
          {t('settings.auditNote')}
        </Typography.Paragraph>
      </Form>
    </>
  );
}
