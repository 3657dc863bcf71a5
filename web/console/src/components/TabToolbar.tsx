import type { ReactNode } from 'react';
import { Typography } from 'antd';

/** The row above a profile tab's table: an intro text on the left, actions on the right. */
export default function TabToolbar({ intro, children }: { intro: ReactNode; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 12, gap: 16 }}>
      <Typography.Text type="secondary">{intro}</Typography.Text>
      {children}
    </div>
  );
}
