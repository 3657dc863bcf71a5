import { useCallback } from 'react';
import { Segmented } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';

/** The periods a report or list can look back over, in days. */
export const DAY_RANGES = [7, 30, 90] as const;

/** The look-back period in the page's query string (?days=30); only DAY_RANGES are taken. */
export function useDaysParam(fallback = 30): [number, (days: number) => void] {
  const [params, setParams] = useSearchParams();
  const n = Number(params.get('days'));
  const days = (DAY_RANGES as readonly number[]).includes(n) ? n : fallback;
  const set = useCallback(
    (d: number) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('days', String(d));
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [days, set];
}

/** "Last 7 / 30 / 90 days". */
export default function DaysPicker({ value, onChange, testId }: { value: number; onChange: (days: number) => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Segmented<number>
      value={value}
      onChange={onChange}
      options={DAY_RANGES.map((d) => ({ value: d, label: t('common.lastDays', { n: d }) }))}
      data-testid={testId}
    />
  );
}
