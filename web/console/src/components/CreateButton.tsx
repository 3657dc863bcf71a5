import type { ReactNode } from 'react';
import { Button } from 'antd';
import { PlusOutlined } from '@ant-design/icons';

/** The primary "+ create …" button of a page header or toolbar. */
export default function CreateButton({ onClick, testId, children }: { onClick: () => void; testId?: string; children: ReactNode }) {
  return (
    <Button type="primary" icon={<PlusOutlined />} data-testid={testId} onClick={onClick}>
      {children}
    </Button>
  );
}
