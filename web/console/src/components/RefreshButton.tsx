import { Button } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** The "Refresh" button of list and report pages; `loading` only where the page shows the reload in progress. */
export default function RefreshButton({ onRefresh, loading }: { onRefresh: () => unknown; loading?: boolean }) {
  const { t } = useTranslation();
  return (
    <Button icon={<ReloadOutlined />} onClick={() => void onRefresh()} loading={loading}>
      {t('common.refresh')}
    </Button>
  );
}
