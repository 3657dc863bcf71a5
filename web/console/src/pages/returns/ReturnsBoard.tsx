import { useMemo, useState } from 'react';
import { Button, Card, DatePicker, Empty, Input, Select, Space, Spin, Switch, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { withQuery } from '../../api/client';
import type { Return } from '../../api/types';
import PageHeader from '../../components/PageHeader';
import { useApiError } from '../../lib/errors';
import { fmtTime } from '../../lib/format';
import {
  byNextDue,
  countdown,
  deadlineLabel,
  FINISHED_STATES,
  RETURN_REASONS,
  RETURN_STATES,
  returnKindLabel,
  returnReasonLabel,
  ReturnStateTag,
} from '../../lib/returns';
import { useApiList } from '../../lib/useApiList';
import { useNow } from '../../lib/useNow';

/** Columns always shown, even empty: the main road of a return. */
const MAIN_STATES = ['requested', 'approved', 'awaiting_shipment', 'in_transit', 'received', 'inspected'];

/** The after-sales board: returns in columns by state, what is due first on top. */
export default function ReturnsBoard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const showError = useApiError();
  const now = useNow();
  const [showFinished, setShowFinished] = useState(false);
  const [dueBefore, setDueBefore] = useState<Dayjs | null>(null);
  const [carrier, setCarrier] = useState('');
  const [reason, setReason] = useState<string | undefined>();

  const states = useMemo(() => RETURN_STATES.filter((s) => showFinished || !FINISHED_STATES.includes(s)), [showFinished]);
  const path = withQuery('/returns', {
    state: showFinished ? undefined : states.join(','),
    due_before: dueBefore ? dueBefore.endOf('day').toISOString() : undefined,
    carrier: carrier.trim(),
    reason,
  });
  const list = useApiList<Return>(path, showError);

  const columns = useMemo(() => {
    const by = new Map<string, Return[]>();
    for (const r of list.items) by.set(r.state, [...(by.get(r.state) ?? []), r]);
    return states
      .filter((s) => MAIN_STATES.includes(s) || by.has(s))
      .map((s) => ({ state: s, items: [...(by.get(s) ?? [])].sort(byNextDue) }));
  }, [list.items, states]);

  return (
    <div data-testid="returns-board">
      <PageHeader
        title={t('returns.board.title')}
        sub={t('returns.board.sub')}
        extra={
          <Button icon={<ReloadOutlined spin={list.loading} />} onClick={() => void list.reload()}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker value={dueBefore} onChange={setDueBefore} placeholder={t('returns.board.dueBefore')} data-testid="board-due-before" />
        <Input.Search
          allowClear
          placeholder={t('returns.board.carrier')}
          style={{ width: 180 }}
          onSearch={(v) => setCarrier(v)}
          data-testid="board-carrier"
        />
        <Select
          allowClear
          placeholder={t('returns.reasonLabel')}
          style={{ width: 160 }}
          value={reason}
          onChange={setReason}
          options={RETURN_REASONS.map((r) => ({ value: r, label: returnReasonLabel(t, r) }))}
          data-testid="board-reason"
        />
        <span>
          <Switch size="small" checked={showFinished} onChange={setShowFinished} data-testid="board-show-finished" />{' '}
          {t('returns.board.showFinished')}
        </span>
      </Space>
      <Spin spinning={list.loading}>
        <div className="kf-board">
          {columns.map((c) => (
            <div key={c.state} className="kf-board-col" data-testid="board-column" data-state={c.state}>
              <div className="kf-board-col-head">
                <ReturnStateTag t={t} state={c.state} />
                <Typography.Text type="secondary">{c.items.length}</Typography.Text>
              </div>
              {c.items.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('returns.board.empty')} style={{ margin: '8px 0' }} />
              ) : (
                c.items.map((r) => {
                  const due = r.next ? countdown(t, r.next.due, now) : null;
                  return (
                    <Card
                      key={r.id}
                      size="small"
                      hoverable
                      className="kf-board-card"
                      onClick={() => navigate(`/returns/${encodeURIComponent(r.id)}`)}
                      data-testid="board-card"
                    >
                      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 6 }}>
                        <Typography.Text strong className="kf-mono">
                          {r.shop_order_id}
                        </Typography.Text>
                        <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
                          {returnKindLabel(t, r.kind)}
                        </Tag>
                      </div>
                      <div style={{ color: 'rgba(0,0,0,0.55)', fontSize: 12, marginTop: 4 }}>
                        {returnReasonLabel(t, r.reason)}
                        {r.carrier ? ` · ${r.carrier}` : ''}
                      </div>
                      {r.next && due && (
                        <Tooltip title={fmtTime(r.next.due)}>
                          <div className={`kf-board-due${due.past ? ' past' : ''}`} data-testid="board-due">
                            {t('returns.board.next', { step: deadlineLabel(t, r.next.name) })} · {due.text}
                          </div>
                        </Tooltip>
                      )}
                      {r.penalty_risk && (
                        <Tag color="red" style={{ marginTop: 6 }} data-testid="board-penalty">
                          {t('returns.penaltyRisk')}
                        </Tag>
                      )}
                    </Card>
                  );
                })
              )}
            </div>
          ))}
        </div>
      </Spin>
    </div>
  );
}
