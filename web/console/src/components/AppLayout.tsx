import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, App, Avatar, Dropdown, Layout, Menu, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  AuditOutlined,
  CalendarOutlined,
  MedicineBoxOutlined,
  CarryOutOutlined,
  CustomerServiceOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  SafetyOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
  ContactsOutlined,
  DownOutlined,
  MessageOutlined,
  ThunderboltOutlined,
  ApiOutlined,
  GlobalOutlined,
  ReadOutlined,
  FundOutlined,
  RobotOutlined,
  RiseOutlined,
  DashboardOutlined,
  ApartmentOutlined,
  IdcardOutlined,
  ScheduleOutlined,
  FieldTimeOutlined,
  NodeIndexOutlined,
  RollbackOutlined,
} from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import { anomalyReasons, reasonsText, roleLabel } from '../lib/labels';
import { errorText } from '../lib/errors';
import { CANNED_PERMS, CONVERSATION_VIEW_PERMS, hasAny, KB_PERMS, menuKeyFor, QUEUE_PERMS, ROUTING_ADMIN_PERMS } from '../lib/nav';
import LangSwitch from './LangSwitch';
import NoticesBell from './NoticesBell';
import PresenceSelect from './PresenceSelect';

const { Sider, Header, Content } = Layout;

const DISMISS_KEY = 'kefu.anomalyDismissed';

export default function AppLayout() {
  const { t } = useTranslation();
  const { me, has, logout } = useAuth();
  const { message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const [dismissed, setDismissed] = useState<string | null>(() => {
    try {
      return sessionStorage.getItem(DISMISS_KEY);
    } catch {
      return null;
    }
  });

  const session = me!.session;
  const user = me!.user;
  // Once 2FA is on, the requirement is met even if the session flag lags behind.
  const mustEnroll = !!session?.must_enroll_2fa && !user.totp_enabled;

  // A role that requires 2FA: every page leads to the 2FA tab until it is on.
  const on2faTab = location.pathname === '/profile' && new URLSearchParams(location.search).get('tab') === '2fa';
  useEffect(() => {
    if (mustEnroll && !on2faTab) navigate('/profile?tab=2fa', { replace: true });
  }, [mustEnroll, on2faTab, navigate]);

  const menuItems = useMemo(() => {
    const item = (key: string, icon: ReactNode, label: string, testid: string) => ({
      key,
      icon,
      label: <span data-testid={testid}>{label}</span>,
    });
    const groups: MenuProps['items'] = [];
    const service = [
      hasAny(has, CONVERSATION_VIEW_PERMS) && item('/inbox', <MessageOutlined />, t('nav.inbox'), 'menu-inbox'),
      hasAny(has, QUEUE_PERMS) && item('/queue', <DashboardOutlined />, t('nav.queue'), 'menu-queue'),
      hasAny(has, CANNED_PERMS) && item('/canned-replies', <ThunderboltOutlined />, t('nav.canned'), 'menu-canned'),
      hasAny(has, KB_PERMS) && item('/kb', <ReadOutlined />, t('nav.kb'), 'menu-kb'),
      has('contacts.view') && item('/contacts', <ContactsOutlined />, t('nav.contacts'), 'menu-contacts'),
      has('orders.view') && item('/returns', <RollbackOutlined />, t('nav.returns'), 'menu-returns'),
    ].filter(Boolean) as NonNullable<MenuProps['items']>;
    if (service.length) groups.push({ type: 'group', key: 'g-service', label: t('nav.groupService'), children: service });
    const reports = [
      has('reports.view') && item('/reports/kpi', <FundOutlined />, t('nav.kpiReport'), 'menu-kpi-report'),
      has('reports.view') && item('/reports/live', <RiseOutlined />, t('nav.liveReport'), 'menu-live-report'),
      has('reports.view') && item('/reports/bot', <RobotOutlined />, t('nav.botReport'), 'menu-bot-report'),
      has('reports.view') && item('/reports/staffing', <CalendarOutlined />, t('nav.staffing'), 'menu-staffing'),
      has('reports.view') && item('/reports/diagnosis', <MedicineBoxOutlined />, t('nav.diagnosis'), 'menu-diagnosis'),
    ].filter(
      Boolean,
    ) as NonNullable<MenuProps['items']>;
    if (reports.length) groups.push({ type: 'group', key: 'g-reports', label: t('nav.groupReports'), children: reports });
    const channels = [
      has('settings.manage') && item('/settings/inboxes', <GlobalOutlined />, t('nav.inboxes'), 'menu-inboxes'),
      has('settings.manage') && item('/settings/webhooks', <ApiOutlined />, t('nav.webhooks'), 'menu-webhooks'),
    ].filter(Boolean) as NonNullable<MenuProps['items']>;
    if (channels.length) groups.push({ type: 'group', key: 'g-channels', label: t('nav.groupChannels'), children: channels });
    const admin = [
      has('users.manage') && item('/users', <TeamOutlined />, t('nav.users'), 'menu-users'),
      hasAny(has, ROUTING_ADMIN_PERMS) && item('/teams', <ApartmentOutlined />, t('nav.teams'), 'menu-teams'),
      hasAny(has, ROUTING_ADMIN_PERMS) && item('/agents', <IdcardOutlined />, t('nav.agents'), 'menu-agents'),
      has('roles.manage') && item('/roles', <SafetyOutlined />, t('nav.roles'), 'menu-roles'),
      has('settings.manage') && item('/settings/business-hours', <ScheduleOutlined />, t('nav.businessHours'), 'menu-business-hours'),
      has('settings.manage') && item('/settings/sla', <FieldTimeOutlined />, t('nav.sla'), 'menu-sla'),
      has('settings.manage') && item('/settings/rules', <NodeIndexOutlined />, t('nav.rules'), 'menu-rules'),
      has('settings.manage') && item('/settings', <SettingOutlined />, t('nav.settings'), 'menu-settings'),
    ].filter(Boolean) as NonNullable<MenuProps['items']>;
    if (admin.length) groups.push({ type: 'group', key: 'g-admin', label: t('nav.groupAdmin'), children: admin });
    const compliance = [has('audit.read') && item('/audit', <AuditOutlined />, t('nav.audit'), 'menu-audit')].filter(
      Boolean,
    ) as NonNullable<MenuProps['items']>;
    if (compliance.length)
      groups.push({ type: 'group', key: 'g-compliance', label: t('nav.groupCompliance'), children: compliance });
    groups.push({
      type: 'group',
      key: 'g-me',
      label: t('nav.groupMe'),
      children: [
        item('/tasks', <CarryOutOutlined />, t('nav.myTasks'), 'menu-my-tasks'),
        item('/profile', <UserOutlined />, t('nav.profile'), 'menu-profile'),
      ],
    });
    return groups;
  }, [has, t]);

  const menuKeys = useMemo(
    () =>
      (menuItems ?? []).flatMap((g) =>
        g && 'children' in g && Array.isArray(g.children) ? g.children.map((c) => String(c?.key ?? '')) : [],
      ),
    [menuItems],
  );
  const selected = menuKeyFor(location.pathname, menuKeys);
  // The inbox fills the window; other pages scroll in the centred column.
  const fullBleed = selected === '/inbox';

  const userMenu: MenuProps = {
    items: [
      { key: 'profile', icon: <UserOutlined />, label: t('header.profile') },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
    ],
    onClick: async ({ key }) => {
      if (key === 'profile') navigate('/profile');
      if (key === 'logout') {
        try {
          await logout();
          message.success(t('header.loggedOut'));
        } catch (err) {
          message.error(errorText(err, t));
        }
        navigate('/login', { replace: true });
      }
    },
  };

  const anomaly = session?.anomaly ?? '';
  const showAnomaly = !!anomaly && dismissed !== session.id;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        width={224}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <Link to="/" className="kf-logo" style={collapsed ? { justifyContent: 'center', padding: 0 } : undefined}>
          <div className="kf-logo-mark">
            <CustomerServiceOutlined />
          </div>
          {!collapsed && (
            <span className="kf-logo-text">
              kefu<span className="kf-logo-sub">{t('app.brandSub')}</span>
            </span>
          )}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          items={menuItems}
          onClick={({ key }) => navigate(key)}
          style={{ borderInlineEnd: 'none', padding: '8px 0' }}
        />
      </Sider>
      <Layout>
        <Header className="kf-header">
          <div className="kf-header-item" onClick={() => setCollapsed(!collapsed)} role="button" aria-label={t('header.toggleMenu')}>
            {collapsed ? <MenuUnfoldOutlined style={{ fontSize: 16 }} /> : <MenuFoldOutlined style={{ fontSize: 16 }} />}
          </div>
          <div className="kf-header-right">
            <PresenceSelect />
            <NoticesBell />
            <LangSwitch />
            <Dropdown menu={userMenu} placement="bottomRight" trigger={['click']}>
              <div className="kf-header-item" data-testid="user-menu">
                <Avatar size={30} style={{ background: '#1677ff', fontSize: 14 }}>
                  {(user.name || user.email).slice(0, 1).toUpperCase()}
                </Avatar>
                <div style={{ display: 'flex', flexDirection: 'column', lineHeight: 1.25 }}>
                  <Typography.Text strong style={{ fontSize: 13 }}>
                    {user.name || user.email}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {roleLabel(t, user.role)}
                  </Typography.Text>
                </div>
                <DownOutlined style={{ fontSize: 10, color: 'rgba(0,0,0,0.45)' }} />
              </div>
            </Dropdown>
          </div>
        </Header>
        <Content>
          <div className={fullBleed ? 'kf-content kf-content-full' : 'kf-content'}>
            {mustEnroll && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 16 }}
                title={t('twofa.mustEnrollTitle')}
                description={t('twofa.mustEnrollDesc', { role: roleLabel(t, user.role) })}
                data-testid="must-enroll-banner"
              />
            )}
            {showAnomaly && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 16 }}
                data-testid="anomaly-alert"
                title={t('anomaly.bannerTitle', { reason: reasonsText(t, anomalyReasons(anomaly)) })}
                description={
                  <span>
                    {t('anomaly.bannerDesc')} <Link to="/profile?tab=sessions">{t('anomaly.bannerLink')}</Link>
                  </span>
                }
                closable={{
                  onClose: () => {
                    setDismissed(session.id);
                    try {
                      sessionStorage.setItem(DISMISS_KEY, session.id);
                    } catch {
                      // ignore
                    }
                  },
                }}
              />
            )}
            <Outlet />
          </div>
        </Content>
      </Layout>
    </Layout>
  );
}
