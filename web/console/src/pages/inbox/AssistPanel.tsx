import { useEffect, useRef, useState } from 'react';
import { Button, Skeleton, Tag, Tooltip } from 'antd';
import { BulbOutlined, DownOutlined, EnterOutlined, ReloadOutlined, UpOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { ListResponse, Suggestion } from '../../api/types';
import { convPath } from './useConversation';

const COLLAPSED_KEY = 'kefu.inbox.assistCollapsed';
const MAX = 3;

const SOURCE_COLOR: Record<string, string> = { faq: 'blue', canned: 'gold' };

function storedCollapsed(): boolean {
  try {
    return localStorage.getItem(COLLAPSED_KEY) === '1';
  } catch {
    return false;
  }
}

interface Props {
  conversationId: string;
  /** The seq of the customer's latest message; a new one fetches new suggestions. 0: none yet. */
  customerSeq: number;
  /** Puts a suggestion's text into the reply composer (it is not sent). */
  onInsert: (text: string) => void;
}

/**
 * Agent assist: up to three replies for the customer's latest message, from
 * the knowledge base and the canned replies; one click puts one into the reply.
 */
export default function AssistPanel({ conversationId, customerSeq, onInsert }: Props) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Suggestion[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const [unavailable, setUnavailable] = useState(false);
  const [collapsed, setCollapsed] = useState(storedCollapsed);
  const [tick, setTick] = useState(0);
  const shownFor = useRef('');

  useEffect(() => {
    if (shownFor.current !== conversationId) {
      shownFor.current = conversationId;
      setItems(null);
    }
    if (!customerSeq) {
      setItems([]);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    setFailed(false);
    api
      .get<ListResponse<Suggestion>>(`${convPath(conversationId)}/suggestions`, undefined, ctl.signal)
      .then((res) => setItems((res.items ?? []).slice(0, MAX)))
      .catch((err) => {
        if ((err as Error).name === 'AbortError') return;
        // Without the permission or on a server without assist, the panel stays away.
        if (err instanceof ApiError && (err.status === 403 || err.status === 404)) setUnavailable(true);
        else setFailed(true);
      })
      .finally(() => {
        if (!ctl.signal.aborted) setLoading(false);
      });
    return () => ctl.abort();
  }, [conversationId, customerSeq, tick]);

  if (unavailable || !customerSeq) return null;

  const toggle = () => {
    const next = !collapsed;
    setCollapsed(next);
    try {
      localStorage.setItem(COLLAPSED_KEY, next ? '1' : '0');
    } catch {
      // ignore
    }
  };

  const count = items?.length ?? 0;

  return (
    <div className={`kf-assist${collapsed ? ' collapsed' : ''}`} data-testid="assist-panel">
      <div className="kf-assist-head">
        <span className="kf-assist-title" onClick={toggle} role="button">
          <BulbOutlined className="kf-assist-icon" />
          {t('inbox.assist.title')}
          {collapsed && count > 0 && <span className="kf-assist-count">{count}</span>}
        </span>
        {!collapsed && <span className="kf-assist-sub">{t('inbox.assist.sub')}</span>}
        <span className="kf-assist-tools">
          <Tooltip title={t('common.refresh')}>
            <Button
              type="text"
              size="small"
              icon={<ReloadOutlined spin={loading} />}
              onClick={() => setTick((n) => n + 1)}
              aria-label={t('common.refresh')}
              data-testid="assist-refresh"
            />
          </Tooltip>
          <Tooltip title={collapsed ? t('inbox.assist.expand') : t('inbox.assist.collapse')}>
            <Button
              type="text"
              size="small"
              icon={collapsed ? <UpOutlined /> : <DownOutlined />}
              onClick={toggle}
              aria-label={collapsed ? t('inbox.assist.expand') : t('inbox.assist.collapse')}
              data-testid="assist-toggle"
            />
          </Tooltip>
        </span>
      </div>
      {!collapsed &&
        (items === null ? (
          <Skeleton active title={false} paragraph={{ rows: 2 }} className="kf-assist-skeleton" />
        ) : failed && count === 0 ? (
          <div className="kf-assist-empty">{t('inbox.assist.failed')}</div>
        ) : count === 0 ? (
          <div className="kf-assist-empty" data-testid="assist-empty">
            {t('inbox.assist.empty')}
          </div>
        ) : (
          <div className="kf-assist-list">
            {items!.map((s) => (
              <Tooltip key={`${s.source}-${s.id}`} title={<div className="kf-assist-full">{s.text}</div>} mouseEnterDelay={0.6} placement="topLeft">
                <div
                  className="kf-assist-item"
                  role="button"
                  tabIndex={0}
                  onClick={() => onInsert(s.text)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onInsert(s.text);
                    }
                  }}
                  data-testid="assist-suggestion"
                  data-source={s.source}
                >
                  <Tag color={SOURCE_COLOR[s.source] ?? 'default'} bordered={false} className="kf-assist-source">
                    {['faq', 'canned'].includes(s.source) ? t(`inbox.assist.source.${s.source}`) : s.source}
                  </Tag>
                  <span className="kf-assist-item-title">{s.title}</span>
                  <span className="kf-assist-item-text">{s.text}</span>
                  <span className="kf-assist-insert">
                    <EnterOutlined /> {t('inbox.assist.insert')}
                  </span>
                </div>
              </Tooltip>
            ))}
          </div>
        ))}
    </div>
  );
}
