import { Button, Tooltip } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCopy } from '../lib/clipboard';

/** A dark code block with a copy button; wrap breaks long lines (one-line snippets) instead of scrolling. */
export default function CodeBlock({ code, testId, maxHeight, wrap }: { code: string; testId?: string; maxHeight?: number; wrap?: boolean }) {
  const { t } = useTranslation();
  const copy = useCopy();
  return (
    <div className="kf-code">
      <pre className={`kf-json kf-mono${wrap ? ' wrap' : ''}`} data-testid={testId} style={maxHeight ? { maxHeight } : { maxHeight: 'none' }}>
        {code}
      </pre>
      <Tooltip title={t('common.copy')}>
        <Button size="small" className="kf-code-copy" icon={<CopyOutlined />} onClick={() => void copy(code)} data-testid={testId ? `${testId}-copy` : undefined}>
          {t('common.copy')}
        </Button>
      </Tooltip>
    </div>
  );
}
