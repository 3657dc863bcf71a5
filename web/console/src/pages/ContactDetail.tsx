import { useEffect, useState } from 'react';
import { App, Button, Card, Descriptions, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, AuditOutlined, EyeInvisibleOutlined, EyeOutlined, LockOutlined } from '@ant-design/icons';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import type { Contact, PIIField } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import LoadError from '../components/LoadError';
import { errorText } from '../lib/errors';
import { fmtTime } from '../lib/format';

const PII_FIELDS: PIIField[] = ['name', 'phone', 'email', 'wechat_openid', 'address'];

const FIELD_LABELS: Record<string, string> = {
  name: 'contacts.name',
  phone: 'contacts.phone',
  email: 'contacts.email',
  address: 'contacts.address',
  wechat_openid: 'contacts.wechat',
};

const TESTID: Record<string, string> = { wechat_openid: 'wechat' };

export default function ContactDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { has } = useAuth();
  const { message, notification } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const goBack = () => (location.key !== 'default' ? navigate(-1) : navigate('/contacts'));
  const [contact, setContact] = useState<Contact | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [revealed, setRevealed] = useState<Partial<Record<PIIField, string>>>({});
  const [hidden, setHidden] = useState<Partial<Record<PIIField, boolean>>>({});
  const [busy, setBusy] = useState<PIIField | null>(null);
  const canReveal = has('pii.reveal');

  useEffect(() => {
    const ctl = new AbortController();
    setContact(null);
    setLoadErr(null);
    setRevealed({});
    api
      .get<Contact>(`/contacts/${encodeURIComponent(id)}`, undefined, ctl.signal)
      .then(setContact)
      .catch((err) => {
        if ((err as Error).name !== 'AbortError') setLoadErr(err);
      });
    return () => ctl.abort();
  }, [id]);

  const reveal = async (field: PIIField) => {
    setBusy(field);
    try {
      const res = await api.post<{ field: string; value: string }>(`/contacts/${encodeURIComponent(id)}/reveal`, { field });
      setRevealed((r) => ({ ...r, [field]: res.value }));
      setHidden((h) => ({ ...h, [field]: false }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        notification.warning({ title: t('contacts.revealLimited'), description: errorText(err, t) });
      } else if (err instanceof ApiError && err.status === 403) {
        notification.error({ title: t('contacts.revealForbidden'), description: errorText(err, t) });
      } else if (!(err instanceof ApiError && err.status === 401)) {
        message.error(errorText(err, t));
      }
    } finally {
      setBusy(null);
    }
  };

  if (loadErr) {
    return <LoadError error={loadErr} notFound={t('contacts.notFound')} backLabel={t('contacts.backToList')} onBack={() => navigate('/contacts')} />;
  }

  const piiValue = (field: PIIField) => {
    const masked = (contact?.[field] as string) ?? '';
    if (!masked) return <Typography.Text type="secondary">—</Typography.Text>;
    const tid = TESTID[field] ?? field;
    const value = revealed[field];
    if (value !== undefined && !hidden[field]) {
      return (
        <span className="kf-pii">
          <Typography.Text strong copyable={{ text: value, tooltips: [t('common.copy'), t('common.copied')] }} data-testid={`revealed-${tid}`}>
            {value}
          </Typography.Text>
          <Tooltip title={t('contacts.hide')}>
            <Button size="small" type="text" icon={<EyeInvisibleOutlined />} onClick={() => setHidden((h) => ({ ...h, [field]: true }))} />
          </Tooltip>
          <Typography.Text type="warning" style={{ fontSize: 12 }}>
            <AuditOutlined /> {t('contacts.audited')}
          </Typography.Text>
        </span>
      );
    }
    return (
      <span className="kf-pii">
        <span className={field === 'phone' || field === 'wechat_openid' ? 'kf-mono' : undefined}>{masked}</span>
        {canReveal ? (
          value !== undefined ? (
            <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setHidden((h) => ({ ...h, [field]: false }))}>
              {t('contacts.reveal')}
            </Button>
          ) : (
            <Tooltip title={t('contacts.revealTip')}>
              <Button
                size="small"
                type="link"
                icon={<EyeOutlined />}
                loading={busy === field}
                onClick={() => void reveal(field)}
                data-testid={`reveal-${tid}`}
              >
                {t('contacts.reveal')}
              </Button>
            </Tooltip>
          )
        ) : (
          <Tooltip title={t('contacts.maskedTip')}>
            <LockOutlined style={{ color: 'rgba(0,0,0,0.3)' }} />
          </Tooltip>
        )}
      </span>
    );
  };

  const attrs = contact?.attributes ? Object.entries(contact.attributes) : [];

  return (
    <>
      <div style={{ marginBottom: 12 }}>
        <Button type="link" icon={<ArrowLeftOutlined />} onClick={goBack} style={{ paddingLeft: 0 }}>
          {t('contacts.backToList')}
        </Button>
      </div>
      {!contact ? (
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card variant="borderless">
            <div style={{ display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {contact.name || t('contacts.unnamed')}
              </Typography.Title>
              {(contact.tags ?? []).map((tg) => (
                <Tag key={tg} color="blue">
                  {tg}
                </Tag>
              ))}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {t('contacts.maskedNote')}
              {canReveal ? t('contacts.maskedNoteReveal') : t('contacts.maskedNoteNoReveal')}
            </Typography.Text>
          </Card>
          <Card variant="borderless" title={t('contacts.profile')}>
            <Descriptions column={{ xs: 1, md: 2 }} bordered size="middle" styles={{ label: { width: 150 } }} data-testid="contact-fields">
              {PII_FIELDS.map((f) => (
                <Descriptions.Item key={f} label={t(FIELD_LABELS[f])} span={f === 'address' ? 2 : 1}>
                  {piiValue(f)}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t('contacts.shopUserId')}>
                {contact.shop_user_id ? <span className="kf-mono">{contact.shop_user_id}</span> : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('contacts.tags')}>
                {contact.tags?.length ? (
                  <Space size={[4, 4]} wrap>
                    {contact.tags.map((tg) => (
                      <Tag key={tg} style={{ marginInlineEnd: 0 }}>
                        {tg}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('contacts.createdAt')}>{fmtTime(contact.created_at)}</Descriptions.Item>
              <Descriptions.Item label={t('contacts.updatedAt')}>{fmtTime(contact.updated_at)}</Descriptions.Item>
              <Descriptions.Item label={t('contacts.id')} span={2}>
                <Typography.Text className="kf-mono" copyable={{ tooltips: [t('common.copy'), t('common.copied')] }}>
                  {contact.id}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card variant="borderless" title={t('contacts.attributes')}>
            {attrs.length === 0 ? (
              <Typography.Text type="secondary">{t('contacts.noAttributes')}</Typography.Text>
            ) : (
              <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
                {attrs.map(([k, v]) => (
                  <Descriptions.Item key={k} label={k}>
                    {typeof v === 'object' ? <span className="kf-mono">{JSON.stringify(v)}</span> : String(v)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          </Card>
        </Space>
      )}
    </>
  );
}
