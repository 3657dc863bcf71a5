import { Card, Tabs } from 'antd';
import { IdcardOutlined, SafetyCertificateOutlined, LaptopOutlined, KeyOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import PageHeader from '../../components/PageHeader';
import BasicTab from './BasicTab';
import TwoFactorTab from './TwoFactorTab';
import SessionsTab from './SessionsTab';
import TokensTab from './TokensTab';

const TABS = ['basic', '2fa', 'sessions', 'tokens'];

export default function ProfilePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const mustEnroll = !!me?.session.must_enroll_2fa && !me?.user.totp_enabled;
  const requested = params.get('tab') ?? 'basic';
  const tab = mustEnroll ? '2fa' : TABS.includes(requested) ? requested : 'basic';

  return (
    <>
      <PageHeader title={t('profile.title')} sub={t('profile.sub')} />
      <Card variant="borderless" styles={{ body: { paddingTop: 8 } }}>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'basic', label: t('profile.tabBasic'), icon: <IdcardOutlined />, disabled: mustEnroll, children: <BasicTab /> },
            { key: '2fa', label: t('profile.tab2fa'), icon: <SafetyCertificateOutlined />, children: <TwoFactorTab /> },
            {
              key: 'sessions',
              label: t('profile.tabSessions'),
              icon: <LaptopOutlined />,
              disabled: mustEnroll,
              children: <SessionsTab />,
            },
            { key: 'tokens', label: t('profile.tabTokens'), icon: <KeyOutlined />, disabled: mustEnroll, children: <TokensTab /> },
          ]}
        />
      </Card>
    </>
  );
}
