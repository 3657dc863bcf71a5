import type { ReactNode } from 'react';
import { Typography } from 'antd';

/** A titled block of the inbox's right pane. */
export function Section({ title, extra, children, testid }: { title: ReactNode; extra?: ReactNode; children: ReactNode; testid?: string }) {
  return (
    <section className="kf-side-section" data-testid={testid}>
      <div className="kf-side-title">
        <span>{title}</span>
        {extra}
      </div>
      {children}
    </section>
  );
}

/** A label and value row of the inbox's right pane. */
export function Field({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="kf-side-field">
      <span className="kf-side-label">{label}</span>
      <span className={`kf-side-value${mono ? ' kf-mono' : ''}`}>{children || <Typography.Text type="secondary">—</Typography.Text>}</span>
    </div>
  );
}
