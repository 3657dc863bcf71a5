import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { INTENT_COLORS, intentLabel } from '../lib/labels';

/** An intent as a coloured tag, or a dash when there is none. */
export default function IntentTag({ intent, testId }: { intent?: string; testId?: string }) {
  const { t } = useTranslation();
  if (!intent) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tag color={INTENT_COLORS[intent] ?? 'default'} bordered={false} style={{ marginInlineEnd: 0 }} data-testid={testId}>
      {intentLabel(t, intent)}
    </Tag>
  );
}
