import { useEffect, useState } from 'react';
import { App, Button, Card, Col, Form, InputNumber, Result, Row, Skeleton, Space, Switch, TimePicker, Typography } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Settings } from '../api/types';
import PageHeader from '../components/PageHeader';
import { errorText, useApiError } from '../lib/errors';

dayjs.extend(customParseFormat);

export const MIN_RETENTION_DAYS = 183;

type SettingsForm = Omit<Settings, 'backup_time'> & { backup_time: Dayjs | null };

function toForm(s: Settings): SettingsForm {
  const tm = dayjs(s.backup_time || '03:00', 'HH:mm');
  return { ...s, backup_time: tm.isValid() ? tm : null };
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

  const load = async () => {
    setLoadErr(null);
    try {
      const s = await api.get<Settings>('/settings');
      setLoaded(s);
      form.setFieldsValue(toForm(s));
      setDirty(false);
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
      const body: Settings = {
        ...(loaded as Settings),
        ...v,
        backup_time: v.backup_time ? v.backup_time.format('HH:mm') : (loaded?.backup_time ?? '03:00'),
      };
      const s = await api.put<Settings>('/settings', body);
      const next = s ?? body;
      setLoaded(next);
      form.setFieldsValue(toForm(next));
      setDirty(false);
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
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 13 }}>
          {t('settings.auditNote')}
        </Typography.Paragraph>
      </Form>
    </>
  );
}
