import { useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';

export const MIN_PASSWORD = 10; // the server (auth.MinPasswordLength) has the same rule

function randomPassword(): string {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const buf = new Uint32Array(16);
  crypto.getRandomValues(buf);
  return Array.from(buf, (n) => chars[n % chars.length]).join('');
}

/** A new-password form field with the required and minimum-length rules; with `generate`, a button fills in a random one. */
export default function PasswordField({
  name,
  label,
  extra,
  generate = false,
  testId,
}: {
  name: string;
  label: ReactNode;
  extra?: ReactNode;
  generate?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const [visible, setVisible] = useState(false);
  const rules = [
    { required: true, message: t('validation.required') },
    { min: MIN_PASSWORD, message: t('validation.minLength', { n: MIN_PASSWORD }) },
  ];

  if (!generate) {
    return (
      <Form.Item name={name} label={label} extra={extra} rules={rules}>
        <Input.Password autoComplete="new-password" data-testid={testId} />
      </Form.Item>
    );
  }
  return (
    <Form.Item label={label} extra={extra} required>
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item name={name} noStyle rules={rules}>
          <Input.Password
            autoComplete="new-password"
            data-testid={testId}
            visibilityToggle={{ visible, onVisibleChange: setVisible }}
          />
        </Form.Item>
        <Button
          onClick={() => {
            form.setFieldValue(name, randomPassword());
            setVisible(true);
          }}
        >
          {t('users.generate')}
        </Button>
      </Space.Compact>
    </Form.Item>
  );
}
