import type { ReactNode } from 'react';
import { Button, Popconfirm, Typography } from 'antd';

/** A table's "revoke" action behind a confirm; a dash where there is nothing to revoke. */
export default function RevokeCell({
  canRevoke,
  confirm,
  onConfirm,
  children,
}: {
  canRevoke: boolean;
  confirm: ReactNode;
  onConfirm: () => void | Promise<unknown>;
  children: ReactNode;
}) {
  if (!canRevoke) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Popconfirm title={confirm} onConfirm={onConfirm} okButtonProps={{ danger: true }}>
      <Button type="link" danger size="small" style={{ paddingInline: 0 }}>
        {children}
      </Button>
    </Popconfirm>
  );
}
