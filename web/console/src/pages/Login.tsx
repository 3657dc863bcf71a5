import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import {
  CustomerServiceOutlined,
  LockOutlined,
  MailOutlined,
  SafetyCertificateOutlined,
  AuditOutlined,
  EyeInvisibleOutlined,
  ArrowLeftOutlined,
  KeyOutlined,
} from '@ant-design/icons';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import type { MeResponse } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { errorText } from '../lib/errors';
import LangSwitch from '../components/LangSwitch';

type Step = 'password' | 'totp';

interface Creds {
  email: string;
  password: string;
}

interface Problem {
  kind: 'error' | 'lockout';
  /** What the console says, in the user's language. */
  title: string;
  /** What the server said, shown too when it adds something. */
  detail?: string;
}

const norm = (s: string) => s.toLowerCase().replace(/[\s.!\u3002\uff01]+/g, '');

function makeProblem(kind: Problem['kind'], title: string, detail?: string): Problem {
  return { kind, title, detail: detail && norm(detail) !== norm(title) ? detail : undefined };
}

function safeNext(next: string | null): string {
  // Only same-site paths: never follow //host or absolute URLs.
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')) return next;
  return '/';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { status, signedIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Creds>();
  const [step, setStep] = useState<Step>('password');
  const [creds, setCreds] = useState<Creds | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);
  const [otp, setOtp] = useState('');
  const [recovery, setRecovery] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const next = safeNext(params.get('next'));
  if (status === 'authenticated') return <Navigate to={next} replace />;

  const submit = async (c: Creds, totp?: string) => {
    setSubmitting(true);
    setProblem(null);
    try {
      const body: Record<string, string> = { email: c.email.trim(), password: c.password };
      if (totp) body.totp = totp;
      const me = await api.post<MeResponse>('/auth/login', body, { skipAuthRedirect: true });
      signedIn(me);
      navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'totp_required') {
        if (step === 'totp' && totp) {
          // The code was wrong: the server asks again.
          setProblem(makeProblem('error', t('login.badCode'), err.message));
          setOtp('');
        } else {
          setCreds(c);
          setStep('totp');
        }
      } else if (err instanceof ApiError && err.status === 429) {
        setProblem(makeProblem('lockout', t('login.lockedTitle'), err.message || t('login.lockedDesc')));
      } else if (err instanceof ApiError && err.status === 401) {
        setProblem(makeProblem('error', step === 'totp' ? t('login.badCode') : t('login.badCredentials'), err.message));
        if (step === 'totp') setOtp('');
      } else if (err instanceof ApiError && err.field && step === 'password') {
        form.setFields([{ name: err.field as keyof Creds, errors: [errorText(err, t)] }]);
      } else {
        setProblem(makeProblem('error', errorText(err, t)));
      }
    } finally {
      setSubmitting(false);
    }
  };

  const backToPassword = () => {
    setStep('password');
    setProblem(null);
    setOtp('');
    setRecovery('');
    setUseRecovery(false);
  };

  const problemAlert = problem && (
    <Alert
      type={problem.kind === 'lockout' ? 'warning' : 'error'}
      showIcon
      icon={problem.kind === 'lockout' ? <LockOutlined /> : undefined}
      title={problem.title}
      description={problem.detail}
      style={{ marginBottom: 20 }}
      data-testid="login-error"
    />
  );

  return (
    <div className="kf-login">
      <aside className="kf-login-aside">
        <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
          <div className="kf-logo-mark" style={{ width: 40, height: 40, fontSize: 22 }}>
            <CustomerServiceOutlined />
          </div>
          <span style={{ fontSize: 22, fontWeight: 600 }}>
            kefu <span style={{ fontWeight: 400, opacity: 0.75 }}>{t('app.brandSub')}</span>
          </span>
        </div>
        <div>
          <Typography.Title level={2} style={{ color: '#fff', marginBottom: 12, fontWeight: 600 }}>
            {t('login.heroTitle')}
          </Typography.Title>
          <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.7)', fontSize: 15, marginBottom: 36 }}>
            {t('login.heroSub')}
          </Typography.Paragraph>
          {[
            { icon: <EyeInvisibleOutlined />, title: t('login.feature1Title'), desc: t('login.feature1Desc') },
            { icon: <SafetyCertificateOutlined />, title: t('login.feature2Title'), desc: t('login.feature2Desc') },
            { icon: <AuditOutlined />, title: t('login.feature3Title'), desc: t('login.feature3Desc') },
          ].map((f) => (
            <div className="kf-login-feature" key={f.title}>
              <div className="kf-login-feature-icon">{f.icon}</div>
              <div>
                <div style={{ fontWeight: 600, fontSize: 15 }}>{f.title}</div>
                <div style={{ color: 'rgba(255,255,255,0.6)', fontSize: 13, marginTop: 2 }}>{f.desc}</div>
              </div>
            </div>
          ))}
        </div>
        <div style={{ color: 'rgba(255,255,255,0.4)', fontSize: 12 }}>{t('login.footer')}</div>
      </aside>
      <main className="kf-login-main">
        <div className="kf-login-card">
          <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 24 }}>
            <LangSwitch />
          </div>
          <Card variant="borderless" style={{ boxShadow: '0 8px 32px rgba(15, 23, 42, 0.08)' }} styles={{ body: { padding: 36 } }}>
            {step === 'password' ? (
              <>
                <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
                  {t('login.title')}
                </Typography.Title>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 28 }}>
                  {t('login.subtitle')}
                </Typography.Paragraph>
                {problemAlert}
                <Form<Creds>
                  form={form}
                  layout="vertical"
                  requiredMark={false}
                  initialValues={creds ?? undefined}
                  onFinish={(v) => void submit(v)}
                  size="large"
                >
                  <Form.Item
                    name="email"
                    label={t('login.email')}
                    rules={[
                      { required: true, message: t('login.emailRequired') },
                      { type: 'email', message: t('validation.email') },
                    ]}
                  >
                    <Input
                      prefix={<MailOutlined style={{ color: 'rgba(0,0,0,0.3)' }} />}
                      placeholder={t('login.emailPlaceholder')}
                      autoComplete="username"
                      autoFocus
                      data-testid="login-email"
                    />
                  </Form.Item>
                  <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
                    <Input.Password
                      prefix={<LockOutlined style={{ color: 'rgba(0,0,0,0.3)' }} />}
                      placeholder={t('login.passwordPlaceholder')}
                      autoComplete="current-password"
                      data-testid="login-password"
                    />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit" style={{ marginTop: 8 }}>
                    {t('login.submit')}
                  </Button>
                </Form>
              </>
            ) : (
              <>
                <Button type="link" icon={<ArrowLeftOutlined />} onClick={backToPassword} style={{ paddingLeft: 0, marginBottom: 8 }}>
                  {t('common.back')}
                </Button>
                <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
                  {t('login.totpTitle')}
                </Typography.Title>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
                  {useRecovery ? t('login.recoveryHint') : t('login.totpHint', { email: creds?.email })}
                </Typography.Paragraph>
                {problemAlert}
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    const code = useRecovery ? recovery.trim() : otp;
                    if (creds && code) void submit(creds, code);
                  }}
                >
                  {useRecovery ? (
                    <Input
                      size="large"
                      value={recovery}
                      onChange={(e) => setRecovery(e.target.value)}
                      placeholder={t('login.recoveryPlaceholder')}
                      prefix={<KeyOutlined style={{ color: 'rgba(0,0,0,0.3)' }} />}
                      autoFocus
                      autoComplete="off"
                      className="kf-mono"
                      data-testid="login-recovery"
                    />
                  ) : (
                    <div data-testid="login-totp" style={{ display: 'flex', justifyContent: 'center' }}>
                      <Input.OTP
                        length={6}
                        size="large"
                        autoFocus
                        value={otp}
                        formatter={(s) => s.replace(/\D/g, '')}
                        onChange={(v) => {
                          setOtp(v);
                          if (creds && /^\d{6}$/.test(v)) void submit(creds, v);
                        }}
                      />
                    </div>
                  )}
                  <Button
                    type="primary"
                    htmlType="submit"
                    block
                    size="large"
                    loading={submitting}
                    disabled={useRecovery ? !recovery.trim() : otp.length !== 6}
                    style={{ marginTop: 24 }}
                    data-testid="login-totp-submit"
                  >
                    {t('login.verify')}
                  </Button>
                </form>
                <div style={{ textAlign: 'center', marginTop: 16 }}>
                  <Button
                    type="link"
                    onClick={() => {
                      setUseRecovery(!useRecovery);
                      setProblem(null);
                    }}
                    data-testid="login-use-recovery"
                  >
                    {useRecovery ? t('login.useTotp') : t('login.useRecovery')}
                  </Button>
                </div>
              </>
            )}
          </Card>
        </div>
      </main>
    </div>
  );
}
