import { Button, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { LoginSession } from '../../api/types';
import RevokeCell from '../../components/RevokeCell';
import TabToolbar from '../../components/TabToolbar';
import { useApiError } from '../../lib/errors';
import { fmtTime, fromNow, shortUA } from '../../lib/format';
import { useApiList } from '../../lib/useApiList';
import { useRemove } from '../../lib/useRemove';
import { anomalyReasons, reasonLabel } from '../../lib/labels';

export default function SessionsTab() {
  const { t } = useTranslation();
  const showError = useApiError();
  const { items, setItems, loading, reload: load } = useApiList<LoginSession>('/me/sessions', showError);
  const del = useRemove();

  const revoke = (id: string) => del(`/me/sessions/${encodeURIComponent(id)}`, t('sessions.revoked'), () => setItems((prev) => prev.filter((s) => s.id !== id)));

  const columns: TableColumnsType<LoginSession> = [
    {
      title: t('sessions.device'),
      dataIndex: 'user_agent',
      render: (ua: string, s) => (
        <Space orientation="vertical" size={2}>
          <Tooltip title={ua}>
            <Typography.Text strong>{shortUA(ua)}</Typography.Text>
          </Tooltip>
          <Space size={4} wrap>
            {s.current && <Tag color="blue">{t('sessions.current')}</Tag>}
            {anomalyReasons(s.anomaly).map((r) => (
              <Tag color="orange" key={r}>
                {reasonLabel(t, r)}
              </Tag>
            ))}
          </Space>
        </Space>
      ),
    },
    { title: t('sessions.ip'), dataIndex: 'ip', width: 160, render: (v: string) => <span className="kf-mono">{v || '—'}</span> },
    { title: t('sessions.createdAt'), dataIndex: 'created_at', width: 190, render: (v: string) => fmtTime(v) },
    {
      title: t('sessions.lastSeen'),
      dataIndex: 'last_seen_at',
      width: 150,
      render: (v: string) => <Tooltip title={fmtTime(v)}>{fromNow(v)}</Tooltip>,
    },
    { title: t('sessions.expiresAt'), dataIndex: 'expires_at', width: 190, render: (v: string) => fmtTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 110,
      render: (_, s) => (
        <RevokeCell canRevoke={!s.current} confirm={t('sessions.revokeConfirm')} onConfirm={() => revoke(s.id)}>
          {t('sessions.revoke')}
        </RevokeCell>
      ),
    },
  ];

  return (
    <>
      <TabToolbar intro={t('sessions.intro')}>
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('common.refresh')}
        </Button>
      </TabToolbar>
      <Table<LoginSession> rowKey="id" columns={columns} dataSource={items} loading={loading} pagination={false} />
    </>
  );
}
