import type { ReactNode } from 'react';
import { Button, Card, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../lib/errors';

/**
 * The body of a report page below its filters, in the three states of a useApiGet load: the failure with a
 * retry while there is nothing to show yet, a skeleton until the first answer, then the report itself. A
 * failed reload after a success keeps the last report (the page may add its own notice), so the figures
 * do not vanish on a blip.
 */
export default function ReportBody<T>({
  data,
  error,
  reload,
  children,
}: {
  data: T | null;
  error: unknown;
  reload: () => unknown;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (error && !data) {
    return (
      <Card variant="borderless">
        <Result
          status="warning"
          title={t('errors.loadFailed')}
          subTitle={errorText(error, t)}
          extra={<Button onClick={() => void reload()}>{t('common.retry')}</Button>}
        />
      </Card>
    );
  }
  if (!data) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }
  return <>{children(data)}</>;
}
