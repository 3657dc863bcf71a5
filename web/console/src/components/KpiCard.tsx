import type { ReactNode } from 'react';
import { Card, Empty, Tag, Tooltip } from 'antd';
import { InfoCircleOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** Whether a figure meets its target: met, missed, or no data to judge. */
export type KpiStatus = 'met' | 'missed' | 'none';

/**
 * A headline figure on a report: title with a help tooltip, the value and a
 * line below. With target, a tag shows the target in green (met) or red
 * (missed); with onOpen, the card opens the records behind the figure.
 */
export default function KpiCard({
  title,
  help,
  value,
  sub,
  testId,
  target,
  status = 'none',
  onOpen,
}: {
  title: string;
  help: ReactNode;
  value: ReactNode;
  sub: ReactNode;
  testId: string;
  target?: string;
  status?: KpiStatus;
  onOpen?: () => void;
}) {
  const { t } = useTranslation();
  const color = status === 'met' ? 'success' : status === 'missed' ? 'error' : 'default';
  return (
    <Card
      variant="borderless"
      className={`kf-kpi${onOpen ? ' kf-kpi-link' : ''}${status !== 'none' ? ` kf-kpi-${status}` : ''}`}
      data-testid={testId}
      hoverable={!!onOpen}
      onClick={onOpen}
    >
      <div className="kf-kpi-title">
        {title}
        <Tooltip title={help}>
          <InfoCircleOutlined className="kf-kpi-help" onClick={(e) => e.stopPropagation()} />
        </Tooltip>
        {target && (
          <Tag color={color} className="kf-kpi-target" data-testid={`${testId}-target`}>
            {t('common.target', { target })}
          </Tag>
        )}
      </div>
      <div className="kf-kpi-value">{value}</div>
      <div className="kf-kpi-sub">
        {sub}
        {onOpen && <RightOutlined className="kf-kpi-open" aria-label={t('common.viewDetails')} />}
      </div>
    </Card>
  );
}

/** The empty state of a chart or panel, at height. */
export function NoData({ height }: { height: number }) {
  const { t } = useTranslation();
  return (
    <div style={{ height, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noData')} />
    </div>
  );
}
