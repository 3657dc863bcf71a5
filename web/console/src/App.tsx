import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthProvider, useAuth } from './auth/AuthContext';
import AppLayout from './components/AppLayout';
import { errorText } from './lib/errors';
import { CANNED_PERMS, CONVERSATION_VIEW_PERMS, firstAllowedPath, hasAny, KB_PERMS, QUEUE_PERMS, ROUTING_ADMIN_PERMS } from './lib/nav';
import LoginPage from './pages/Login';

const ProfilePage = lazy(() => import('./pages/profile/Profile'));
const UsersPage = lazy(() => import('./pages/Users'));
const RolesPage = lazy(() => import('./pages/Roles'));
const ContactsPage = lazy(() => import('./pages/Contacts'));
const ContactDetailPage = lazy(() => import('./pages/ContactDetail'));
const AuditPage = lazy(() => import('./pages/Audit'));
const SettingsPage = lazy(() => import('./pages/Settings'));
const InboxPage = lazy(() => import('./pages/inbox/Inbox'));
const CannedRepliesPage = lazy(() => import('./pages/CannedReplies'));
const KBFaqsPage = lazy(() => import('./pages/kb/Faqs'));
const KBArticlesPage = lazy(() => import('./pages/kb/Articles'));
const KBArticleEditorPage = lazy(() => import('./pages/kb/ArticleEditor'));
const InboxesPage = lazy(() => import('./pages/settings/Inboxes'));
const WebhooksPage = lazy(() => import('./pages/settings/Webhooks'));
const BusinessHoursPage = lazy(() => import('./pages/settings/BusinessHours'));
const SlaPoliciesPage = lazy(() => import('./pages/settings/SlaPolicies'));
const RulesPage = lazy(() => import('./pages/settings/Rules'));
const MyTasksPage = lazy(() => import('./pages/MyTasks'));
const KBUnansweredPage = lazy(() => import('./pages/kb/Unanswered'));
const BotReportPage = lazy(() => import('./pages/reports/BotReport'));
const KpiReportPage = lazy(() => import('./pages/reports/KpiReport'));
const KpiLivePage = lazy(() => import('./pages/reports/KpiLive'));
const StaffingPage = lazy(() => import('./pages/reports/Staffing'));
const DiagnosisPage = lazy(() => import('./pages/reports/Diagnosis'));
const QueuePage = lazy(() => import('./pages/Queue'));
const TeamsPage = lazy(() => import('./pages/Teams'));
const AgentsPage = lazy(() => import('./pages/Agents'));
const ReturnsBoardPage = lazy(() => import('./pages/returns/ReturnsBoard'));
const ReturnDetailPage = lazy(() => import('./pages/returns/ReturnDetail'));

const theme = {
  token: {
    colorPrimary: '#1677ff',
    borderRadius: 8,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { siderBg: '#0d1b33', triggerBg: '#0a1628', headerBg: '#ffffff' },
    Menu: {
      darkItemBg: '#0d1b33',
      darkSubMenuItemBg: '#0a1628',
      darkItemSelectedBg: '#1677ff',
      darkGroupTitleColor: 'rgba(255,255,255,0.38)',
    },
    Table: { headerBg: '#fafbfc' },
  },
};

export function FullPageSpin() {
  return (
    <div style={{ height: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

export function PageSpin() {
  return (
    <div style={{ padding: 80, display: 'flex', justifyContent: 'center' }}>
      <Spin />
    </div>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { status, loadError, retry } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'error') {
    return (
      <Result
        status="warning"
        title={t('errors.loadMeFailed')}
        subTitle={errorText(loadError, t)}
        extra={
          <Button type="primary" onClick={retry}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (status === 'anonymous') {
    const next = location.pathname + location.search;
    const to = next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
    return <Navigate to={to} replace />;
  }
  return <>{children}</>;
}

/** Shows the page only to users holding perm (or any one of a list). */
function Guard({ perm, children }: { perm: string | string[]; children: ReactNode }) {
  const { has } = useAuth();
  const { t } = useTranslation();
  if (!hasAny(has, perm)) {
    return <Result status="403" title={t('errors.forbiddenTitle')} subTitle={t('errors.forbiddenPage')} />;
  }
  return <Suspense fallback={<PageSpin />}>{children}</Suspense>;
}

function Home() {
  const { has } = useAuth();
  return <Navigate to={firstAllowedPath(has)} replace />;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('errors.notFoundPage')} />;
}

function LoginRoute() {
  const { status } = useAuth();
  if (status === 'loading') return <FullPageSpin />;
  return <LoginPage />;
}

function Localized({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={theme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export default function Root() {
  return (
    <Localized>
      <AuthProvider>
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={<LoginRoute />} />
            <Route
              element={
                <RequireAuth>
                  <AppLayout />
                </RequireAuth>
              }
            >
              <Route index element={<Home />} />
              <Route
                path="inbox/:id?"
                element={
                  <Guard perm={CONVERSATION_VIEW_PERMS}>
                    <InboxPage />
                  </Guard>
                }
              />
              <Route
                path="queue"
                element={
                  <Guard perm={QUEUE_PERMS}>
                    <QueuePage />
                  </Guard>
                }
              />
              <Route
                path="teams"
                element={
                  <Guard perm={ROUTING_ADMIN_PERMS}>
                    <TeamsPage />
                  </Guard>
                }
              />
              <Route
                path="agents"
                element={
                  <Guard perm={ROUTING_ADMIN_PERMS}>
                    <AgentsPage />
                  </Guard>
                }
              />
              <Route
                path="canned-replies"
                element={
                  <Guard perm={CANNED_PERMS}>
                    <CannedRepliesPage />
                  </Guard>
                }
              />
              <Route path="kb" element={<Navigate to="/kb/faqs" replace />} />
              <Route
                path="kb/faqs"
                element={
                  <Guard perm={KB_PERMS}>
                    <KBFaqsPage />
                  </Guard>
                }
              />
              <Route
                path="kb/articles"
                element={
                  <Guard perm={KB_PERMS}>
                    <KBArticlesPage />
                  </Guard>
                }
              />
              <Route
                path="kb/unanswered"
                element={
                  <Guard perm="kb.manage">
                    <KBUnansweredPage />
                  </Guard>
                }
              />
              <Route path="reports" element={<Navigate to="/reports/kpi" replace />} />
              <Route
                path="reports/kpi"
                element={
                  <Guard perm="reports.view">
                    <KpiReportPage />
                  </Guard>
                }
              />
              <Route
                path="reports/live"
                element={
                  <Guard perm="reports.view">
                    <KpiLivePage />
                  </Guard>
                }
              />
              <Route
                path="reports/bot"
                element={
                  <Guard perm="reports.view">
                    <BotReportPage />
                  </Guard>
                }
              />
              <Route
                path="reports/staffing"
                element={
                  <Guard perm="reports.view">
                    <StaffingPage />
                  </Guard>
                }
              />
              <Route
                path="reports/diagnosis"
                element={
                  <Guard perm="reports.view">
                    <DiagnosisPage />
                  </Guard>
                }
              />
              <Route
                path="kb/articles/:id"
                element={
                  <Guard perm={KB_PERMS}>
                    <KBArticleEditorPage />
                  </Guard>
                }
              />
              <Route
                path="settings/inboxes"
                element={
                  <Guard perm="settings.manage">
                    <InboxesPage />
                  </Guard>
                }
              />
              <Route
                path="settings/webhooks"
                element={
                  <Guard perm="settings.manage">
                    <WebhooksPage />
                  </Guard>
                }
              />
              <Route
                path="settings/business-hours"
                element={
                  <Guard perm="settings.manage">
                    <BusinessHoursPage />
                  </Guard>
                }
              />
              <Route
                path="settings/sla"
                element={
                  <Guard perm="settings.manage">
                    <SlaPoliciesPage />
                  </Guard>
                }
              />
              <Route
                path="settings/rules"
                element={
                  <Guard perm="settings.manage">
                    <RulesPage />
                  </Guard>
                }
              />
              <Route
                path="tasks"
                element={
                  <Suspense fallback={<PageSpin />}>
                    <MyTasksPage />
                  </Suspense>
                }
              />
              <Route
                path="profile"
                element={
                  <Suspense fallback={<PageSpin />}>
                    <ProfilePage />
                  </Suspense>
                }
              />
              <Route
                path="users"
                element={
                  <Guard perm="users.manage">
                    <UsersPage />
                  </Guard>
                }
              />
              <Route
                path="roles"
                element={
                  <Guard perm="roles.manage">
                    <RolesPage />
                  </Guard>
                }
              />
              <Route
                path="contacts"
                element={
                  <Guard perm="contacts.view">
                    <ContactsPage />
                  </Guard>
                }
              />
              <Route
                path="contacts/:id"
                element={
                  <Guard perm="contacts.view">
                    <ContactDetailPage />
                  </Guard>
                }
              />
              <Route
                path="returns"
                element={
                  <Guard perm="orders.view">
                    <ReturnsBoardPage />
                  </Guard>
                }
              />
              <Route
                path="returns/:id"
                element={
                  <Guard perm="orders.view">
                    <ReturnDetailPage />
                  </Guard>
                }
              />
              <Route
                path="audit"
                element={
                  <Guard perm="audit.read">
                    <AuditPage />
                  </Guard>
                }
              />
              <Route
                path="settings"
                element={
                  <Guard perm="settings.manage">
                    <SettingsPage />
                  </Guard>
                }
              />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </AuthProvider>
    </Localized>
  );
}
