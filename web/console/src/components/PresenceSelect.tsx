import { useCallback, useEffect, useState } from 'react';
import { Badge, Dropdown } from 'antd';
import type { MenuProps } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import type { ListResponse, Presence, RoutingAgent } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useApiError } from '../lib/errors';
import { PRESENCE_BADGE, PRESENCES, presenceLabel } from '../lib/routing';

/** The signed-in user's presence (online, busy, away, offline) in the header; hidden when the server has no routing. */
export default function PresenceSelect() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const showError = useApiError();
  const [status, setStatus] = useState<Presence | null>(null);
  const [unsupported, setUnsupported] = useState(false);
  const userId = me?.user.id;

  const load = useCallback(async () => {
    try {
      const res = await api.get<ListResponse<RoutingAgent>>('/routing/agents');
      const mine = (res.items ?? []).find((a) => a.user_id === userId);
      setStatus(mine?.status ?? 'offline');
    } catch (err) {
      // 404: the server has no routing yet; 403: not an agent who can see the roster.
      if (err instanceof ApiError && err.status === 404) setUnsupported(true);
      else setStatus((s) => s ?? 'offline');
    }
  }, [userId]);

  useEffect(() => {
    void load();
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [load]);

  const change = async (next: Presence) => {
    const prev = status;
    setStatus(next);
    try {
      const a = await api.put<RoutingAgent>('/me/presence', { status: next });
      if (a?.status) setStatus(a.status);
    } catch (err) {
      setStatus(prev);
      showError(err);
    }
  };

  if (unsupported || !status) return null;

  const menu: MenuProps = {
    items: PRESENCES.map((p) => ({
      key: p,
      label: <Badge status={PRESENCE_BADGE[p]} text={presenceLabel(t, p)} />,
    })),
    selectable: true,
    selectedKeys: [status],
    onClick: ({ key }) => void change(key as Presence),
  };

  return (
    <Dropdown menu={menu} trigger={['click']} placement="bottomRight">
      <div className="kf-header-item" role="button" aria-label={t('routing.presenceLabel')} data-testid="presence-select">
        <Badge status={PRESENCE_BADGE[status] ?? 'default'} text={presenceLabel(t, status)} />
        <DownOutlined style={{ fontSize: 10, color: 'rgba(0,0,0,0.45)' }} />
      </div>
    </Dropdown>
  );
}
