import { useEffect, useRef, useState } from 'react';
import { Avatar, Empty, Input, Spin } from 'antd';
import { SearchOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Contact, SearchMessageHit, SearchResult } from '../../api/types';
import { useApiError } from '../../lib/errors';
import { highlight, listTime, snippet } from '../../lib/conversations';

interface Props {
  onOpenMessage: (hit: SearchMessageHit) => void;
  onOpenContact: (c: Contact) => void;
}

const DEBOUNCE_MS = 300;

/** The inbox's search: messages (with the match highlighted) and contacts, as you type. */
export default function SearchBox({ onOpenMessage, onOpenContact }: Props) {
  const { t } = useTranslation();
  const showError = useApiError();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  const [res, setRes] = useState<{ q: string; r: SearchResult } | null>(null);
  const reqId = useRef(0);

  useEffect(() => {
    const query = q.trim();
    if (!query) {
      setRes(null);
      setLoading(false);
      return;
    }
    const id = ++reqId.current;
    setLoading(true);
    const timer = window.setTimeout(() => {
      api
        .get<SearchResult>('/search', { q: query, limit: 20 })
        .then((r) => {
          if (id === reqId.current) setRes({ q: query, r });
        })
        .catch((err) => {
          if (id === reqId.current) showError(err);
        })
        .finally(() => {
          if (id === reqId.current) setLoading(false);
        });
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [q, showError]);

  const messages = res?.r.messages ?? [];
  const contacts = res?.r.contacts ?? [];
  const shown = open && !!q.trim();

  return (
    <div className="kf-search" onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setOpen(false)}>
      <Input
        allowClear
        prefix={<SearchOutlined style={{ color: 'rgba(0,0,0,0.35)' }} />}
        placeholder={t('inbox.search.placeholder')}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        data-testid="inbox-search"
      />
      {shown && (
        <div className="kf-search-pop" data-testid="search-results" tabIndex={-1}>
          {loading && !res ? (
            <div style={{ padding: 24, textAlign: 'center' }}>
              <Spin size="small" />
            </div>
          ) : messages.length === 0 && contacts.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={loading ? t('inbox.search.searching') : t('inbox.search.empty')} style={{ margin: '16px 0' }} />
          ) : (
            <>
              {contacts.length > 0 && (
                <div className="kf-search-group">
                  <div className="kf-search-group-title">{t('inbox.search.contacts', { n: contacts.length })}</div>
                  {contacts.map((c) => (
                    <div
                      key={c.id}
                      className="kf-search-item kf-search-contact"
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => {
                        setOpen(false);
                        onOpenContact(c);
                      }}
                      data-testid="search-hit-contact"
                      role="button"
                    >
                      <Avatar size={26} icon={<UserOutlined />} style={{ background: '#94a3b8' }} />
                      <div style={{ minWidth: 0 }}>
                        <div className="kf-search-title">{highlight(c.name || t('contacts.unnamed'), res?.q ?? '')}</div>
                        <div className="kf-search-sub kf-mono">{[c.phone, c.email].filter(Boolean).join(' · ') || '—'}</div>
                      </div>
                    </div>
                  ))}
                </div>
              )}
              {messages.length > 0 && (
                <div className="kf-search-group">
                  <div className="kf-search-group-title">{t('inbox.search.messages', { n: messages.length })}</div>
                  {messages.map((m) => (
                    <div
                      key={m.message_id}
                      className="kf-search-item"
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => {
                        setOpen(false);
                        onOpenMessage(m);
                      }}
                      data-testid="search-hit-message"
                      role="button"
                    >
                      <div style={{ minWidth: 0, flex: 1 }}>
                        <div className="kf-search-meta">
                          <span className="kf-search-title">{m.contact_name || t('contacts.unnamed')}</span>
                          <span>{listTime(t, m.created_at)}</span>
                        </div>
                        <div className="kf-search-snippet">
                          <span className="kf-search-who">{t('inbox.previewBy', { name: t(`inbox.sender.${m.sender_type}`) })}</span>
                          {highlight(snippet(m.text, res?.q ?? ''), res?.q ?? '')}
                        </div>
                      </div>
                    </div>
                  ))}
                </div>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}
