import type { ReactNode } from 'react';
import { Typography } from 'antd';

export default function PageHeader({ title, sub, extra }: { title: ReactNode; sub?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="kf-page-head">
      <div>
        <Typography.Title level={3} className="kf-page-title">
          {title}
        </Typography.Title>
        {sub && <div className="kf-page-sub">{sub}</div>}
      </div>
      {extra && <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', justifyContent: 'flex-end' }}>{extra}</div>}
    </div>
  );
}
