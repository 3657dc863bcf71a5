import type { ReactNode } from 'react';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorText } from '../lib/errors';

/**
 * What a record's page shows when the record would not load: notFound for a 404, else "could not load",
 * with the server's reason and a button back (backLabel, onBack).
 */
export default function LoadError({ error, notFound, backLabel, onBack }: { error: unknown; notFound: ReactNode; backLabel: ReactNode; onBack: () => void }) {
  const { t } = useTranslation();
  const nf = error instanceof ApiError && error.status === 404;
  return (
    <Result
      status={nf ? '404' : 'warning'}
      title={nf ? notFound : t('errors.loadFailed')}
      subTitle={errorText(error, t)}
      extra={<Button onClick={onBack}>{backLabel}</Button>}
    />
  );
}
