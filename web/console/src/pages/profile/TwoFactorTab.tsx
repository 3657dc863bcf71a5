import { useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Result, Row, Space, Steps, Typography } from 'antd';
import {
  CopyOutlined,
  DownloadOutlined,
  SafetyCertificateOutlined,
  CheckCircleFilled,
  MobileOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { EnrollResponse } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { saveBlob } from '../../lib/download';
import { useApiError } from '../../lib/errors';

function groupSecret(s: string): string {
  return s.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim();
}

export default function TwoFactorTab() {
  const { t } = useTranslation();
  const { me, refresh } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const [enroll, setEnroll] = useState<EnrollResponse | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [disableForm] = Form.useForm<{ password: string }>();
  const enabled = !!me?.user.totp_enabled;

  const startEnroll = async () => {
    setBusy(true);
    try {
      setEnroll(await api.post<EnrollResponse>('/me/2fa/enroll'));
      setCode('');
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (c: string) => {
    if (!/^\d{6}$/.test(c)) return;
    setBusy(true);
    try {
      const res = await api.post<{ recovery_codes: string[] }>('/me/2fa/confirm', { code: c });
      setCodes(res.recovery_codes ?? []);
      setEnroll(null);
      message.success(t('twofa.enabledMsg'));
      await refresh().catch(() => undefined);
    } catch (err) {
      showError(err);
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  const disable = async (v: { password: string }) => {
    setBusy(true);
    try {
      await api.post('/me/2fa/disable', { password: v.password });
      message.success(t('twofa.disabledMsg'));
      disableForm.resetFields();
      await refresh().catch(() => undefined);
    } catch (err) {
      showError(err, disableForm);
    } finally {
      setBusy(false);
    }
  };

  const codesText = () =>
    [t('twofa.codesFileHeader', { email: me?.user.email ?? '' }), '', ...(codes ?? [])].join('\n') + '\n';

  const copyCodes = async () => {
    try {
      await navigator.clipboard.writeText((codes ?? []).join('\n'));
      message.success(t('common.copied'));
    } catch {
      message.error(t('common.copyFailed'));
    }
  };

  const downloadCodes = () => {
    saveBlob(new Blob([codesText()], { type: 'text/plain;charset=utf-8' }), 'kefu-recovery-codes.txt');
  };

  // 1. Just enabled: the recovery codes, shown once.
  if (codes) {
    return (
      <div style={{ maxWidth: 640 }} data-testid="recovery-codes">
        <Result
          status="success"
          style={{ padding: '16px 0 8px' }}
          title={t('twofa.enabledTitle')}
          subTitle={t('twofa.codesIntro')}
        />
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('twofa.codesWarnTitle')} description={t('twofa.codesWarn')} />
        <div className="kf-codes kf-mono">
          {codes.map((c) => (
            <span key={c}>{c}</span>
          ))}
        </div>
        <Space style={{ marginTop: 16 }} wrap>
          <Button icon={<CopyOutlined />} onClick={() => void copyCodes()}>
            {t('twofa.copyCodes')}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={downloadCodes}>
            {t('twofa.downloadCodes')}
          </Button>
          <Button type="primary" onClick={() => setCodes(null)}>
            {t('twofa.codesSaved')}
          </Button>
        </Space>
      </div>
    );
  }

  // 2. On: a form to turn it off.
  if (enabled) {
    return (
      <Row gutter={[32, 24]}>
        <Col xs={24} lg={12}>
          <Alert
            type="success"
            showIcon
            icon={<CheckCircleFilled />}
            title={t('twofa.onTitle')}
            description={t('twofa.onDesc')}
            style={{ marginTop: 8 }}
          />
        </Col>
        <Col xs={24} lg={12}>
          <Typography.Title level={5} style={{ marginTop: 8 }}>
            {t('twofa.disableTitle')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('twofa.disableDesc')}</Typography.Paragraph>
          <Form form={disableForm} layout="vertical" onFinish={(v) => void disable(v)} style={{ maxWidth: 420 }}>
            <Form.Item name="password" label={t('twofa.currentPassword')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button danger htmlType="submit" loading={busy}>
              {t('twofa.disable')}
            </Button>
          </Form>
        </Col>
      </Row>
    );
  }

  // 3. Off and enrolling: QR code, manual key, code.
  if (enroll) {
    return (
      <div style={{ maxWidth: 760 }}>
        <Steps
          current={code.length === 6 ? 1 : 0}
          size="small"
          style={{ margin: '8px 0 24px' }}
          items={[{ title: t('twofa.step1') }, { title: t('twofa.step2') }, { title: t('twofa.step3') }]}
        />
        <Row gutter={[32, 24]}>
          <Col xs={24} md={10}>
            <Card size="small" style={{ textAlign: 'center' }}>
              <img src={enroll.qr_png} alt={t('twofa.qrAlt')} width={200} height={200} style={{ imageRendering: 'pixelated' }} data-testid="totp-qr" />
            </Card>
          </Col>
          <Col xs={24} md={14}>
            <Typography.Paragraph>
              <MobileOutlined /> {t('twofa.scanHint')}
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
              {t('twofa.manualKey')}
            </Typography.Paragraph>
            <Typography.Paragraph
              copyable={{ text: enroll.secret, tooltips: [t('common.copy'), t('common.copied')] }}
              className="kf-mono"
              style={{ fontSize: 15, background: '#fafafa', padding: '8px 12px', borderRadius: 6, display: 'inline-block' }}
              data-testid="totp-secret"
            >
              {groupSecret(enroll.secret)}
            </Typography.Paragraph>
            <Typography.Paragraph style={{ marginTop: 16, marginBottom: 8 }}>{t('twofa.enterCode')}</Typography.Paragraph>
            <div data-testid="totp-confirm">
              <Input.OTP
                length={6}
                size="large"
                value={code}
                formatter={(s) => s.replace(/\D/g, '')}
                onChange={(v) => {
                  setCode(v);
                  void confirm(v);
                }}
                disabled={busy}
              />
            </div>
            <Space style={{ marginTop: 20 }}>
              <Button type="primary" loading={busy} disabled={code.length !== 6} onClick={() => void confirm(code)}>
                {t('twofa.confirm')}
              </Button>
              <Button onClick={() => setEnroll(null)}>{t('common.cancel')}</Button>
            </Space>
          </Col>
        </Row>
      </div>
    );
  }

  // 4. Off.
  return (
    <div style={{ maxWidth: 640, paddingTop: 8 }}>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('twofa.offTitle')} description={t('twofa.offDesc')} />
        <Button type="primary" icon={<SafetyCertificateOutlined />} loading={busy} onClick={() => void startEnroll()} data-testid="twofa-enroll">
          {t('twofa.enroll')}
        </Button>
      </Space>
    </div>
  );
}
