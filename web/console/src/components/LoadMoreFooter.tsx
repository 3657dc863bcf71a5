import { Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The footer under a useCursorList table: "load more" while there is a next page, else how many are loaded. */
export default function LoadMoreFooter({
  list,
  testId,
}: {
  list: { items: unknown[]; cursor?: string; loadingMore: boolean; loadMore: () => Promise<void> };
  testId?: string;
}) {
  const { t } = useTranslation();
  if (!list.cursor && list.items.length === 0) return null;
  return (
    <div className="kf-load-more">
      {list.cursor ? (
        <Button onClick={() => void list.loadMore()} loading={list.loadingMore} data-testid={testId}>
          {t('common.loadMore')}
        </Button>
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('common.allLoaded', { n: list.items.length })}
        </Typography.Text>
      )}
    </div>
  );
}
