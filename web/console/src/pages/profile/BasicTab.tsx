import { useState } from 'react';
import { App, Button, Col, Descriptions, Form, Input, Row, Tag, Typography } from 'antd';
import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import PasswordField, { MIN_PASSWORD } from '../../components/PasswordField';
import { useApiError } from '../../lib/errors';
import { fmtTime } from '../../lib/format';
import { roleLabel } from '../../lib/labels';

interface PwForm {
  current_password: string;
  new_password: string;
  confirm: string;
}

export default function BasicTab() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<PwForm>();
  const [saving, setSaving] = useState(false);
  const user = me!.user;

  const onFinish = async (v: PwForm) => {
    setSaving(true);
    try {
      await api.post('/me/password', { current_password: v.current_password, new_password: v.new_password });
      message.success(t('profile.passwordChanged'));
      form.resetFields();
    } catch (err) {
      showError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Row gutter={[32, 24]}>
      <Col xs={24} lg={12}>
        <Typography.Title level={5} style={{ marginTop: 8 }}>
          {t('profile.account')}
        </Typography.Title>
        <Descriptions column={1} bordered size="middle" styles={{ label: { width: 140 } }}>
          <Descriptions.Item label={t('users.name')}>{user.name || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('users.email')}>{user.email}</Descriptions.Item>
          <Descriptions.Item label={t('users.role')}>
            <Tag color="blue">{roleLabel(t, user.role)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('users.twofa')}>
            {user.totp_enabled ? (
              <Tag icon={<CheckCircleFilled />} color="success">
                {t('twofa.on')}
              </Tag>
            ) : (
              <Tag icon={<ExclamationCircleFilled />} color="default">
                {t('twofa.off')}
              </Tag>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('users.createdAt')}>{fmtTime(user.created_at)}</Descriptions.Item>
          <Descriptions.Item label={t('users.lastLogin')}>{fmtTime(user.last_login_at)}</Descriptions.Item>
        </Descriptions>
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={5} style={{ marginTop: 8 }}>
          {t('profile.changePassword')}
        </Typography.Title>
        <Form<PwForm> form={form} layout="vertical" onFinish={(v) => void onFinish(v)} style={{ maxWidth: 420 }}>
          <Form.Item
            name="current_password"
            label={t('profile.currentPassword')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <PasswordField name="new_password" label={t('profile.newPassword')} extra={t('profile.passwordRule', { n: MIN_PASSWORD })} />
          <Form.Item
            name="confirm"
            label={t('profile.confirmPassword')}
            dependencies={['new_password']}
            rules={[
              { required: true, message: t('validation.required') },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  !value || getFieldValue('new_password') === value
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('validation.passwordMismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('profile.updatePassword')}
          </Button>
        </Form>
      </Col>
    </Row>
  );
}
