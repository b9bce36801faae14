import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { lazy, Suspense, type ReactNode } from 'react';
import { AuthProvider, homeOf, isCustomer, isStaff, mustSetUp, useAuth } from './auth';
import type { Role } from './api/types';
import { ApiError } from './api/http';
import { Layout } from './components/Layout';
import { LoginPage } from './pages/Login';
import { RaiseTicketPage } from './pages/portal/RaiseTicket';
import { MyTicketsPage } from './pages/portal/MyTickets';
import { PortalTicketPage } from './pages/portal/PortalTicket';
import { QueuePage } from './pages/desk/Queue';
import { DeskTicketPage } from './pages/desk/DeskTicket';
import { AlarmsPage } from './pages/desk/Alarms';
import { LogCallPage } from './pages/desk/LogCall';
import { ChatInboxPage } from './pages/desk/ChatInbox';
import { ChatPage } from './pages/portal/ChatPage';
import { EmbedChatPage } from './pages/embed/EmbedChat';
import { SecurityPage } from './pages/account/Security';
// Admin settings load on demand: agents and customers never download them.
const OrganisationsPage = lazy(() =>
  import('./pages/admin/Organisations').then((m) => ({ default: m.OrganisationsPage })),
);
const UsersPage = lazy(() => import('./pages/admin/Users').then((m) => ({ default: m.UsersPage })));
const CalendarsPage = lazy(() =>
  import('./pages/admin/Calendars').then((m) => ({ default: m.CalendarsPage })),
);
const MailPage = lazy(() => import('./pages/admin/Mail').then((m) => ({ default: m.MailPage })));
const TwoFactorAdminPage = lazy(() =>
  import('./pages/admin/TwoFactor').then((m) => ({ default: m.TwoFactorAdminPage })),
);
const AuditPage = lazy(() => import('./pages/admin/Audit').then((m) => ({ default: m.AuditPage })));
const PersonalDataPage = lazy(() =>
  import('./pages/admin/PersonalData').then((m) => ({ default: m.PersonalDataPage })),
);
const ContractsPage = lazy(() =>
  import('./pages/admin/Contracts').then((m) => ({ default: m.ContractsPage })),
);
const StaffAccessPage = lazy(() =>
  import('./pages/portal/StaffAccess').then((m) => ({ default: m.StaffAccessPage })),
);
const ReportsPage = lazy(() =>
  import('./pages/reports/Reports').then((m) => ({ default: m.ReportsPage })),
);
const AvailabilityPage = lazy(() =>
  import('./pages/admin/Availability').then((m) => ({ default: m.AvailabilityPage })),
);
const PoliciesPage = lazy(() =>
  import('./pages/admin/Policies').then((m) => ({ default: m.PoliciesPage })),
);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
  },
});

function Guard({ allow, children }: { allow: (r: Role) => boolean; children: ReactNode }) {
  const { user } = useAuth();
  if (!user)
    return (
      <Navigate
        to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}
        replace
      />
    );
  // 2FA required but not set up, or a password an admin set: the security page first.
  if (mustSetUp(user) && location.pathname !== '/security')
    return <Navigate to="/security" replace />;
  if (!allow(user.role)) return <Navigate to={homeOf(user)} replace />;
  return (
    <Layout>
      <Suspense fallback={<p role="status">Loading…</p>}>{children}</Suspense>
    </Layout>
  );
}

function Home() {
  const { user } = useAuth();
  return <Navigate to={user ? homeOf(user) : '/login'} replace />;
}

const admin = (r: Role) => r === 'admin';
const manage = (r: Role) => r === 'admin' || r === 'manager';
const securityAdmin = (r: Role) => r === 'admin' || r === 'customer_admin';
const readReports = (r: Role) => r === 'admin' || r === 'manager' || r === 'customer_admin';

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <BrowserRouter>
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/login" element={<LoginPage />} />
            <Route path="/embed/chat" element={<EmbedChatPage />} />
            <Route
              path="/portal/chat"
              element={
                <Guard allow={isCustomer}>
                  <ChatPage />
                </Guard>
              }
            />
            <Route
              path="/desk/chats"
              element={
                <Guard allow={isStaff}>
                  <ChatInboxPage />
                </Guard>
              }
            />
            <Route
              path="/portal"
              element={
                <Guard allow={isCustomer}>
                  <MyTicketsPage />
                </Guard>
              }
            />
            <Route
              path="/portal/new"
              element={
                <Guard allow={isCustomer}>
                  <RaiseTicketPage />
                </Guard>
              }
            />
            <Route
              path="/portal/tickets/:id"
              element={
                <Guard allow={isCustomer}>
                  <PortalTicketPage />
                </Guard>
              }
            />
            <Route
              path="/desk"
              element={
                <Guard allow={isStaff}>
                  <QueuePage />
                </Guard>
              }
            />
            <Route
              path="/desk/tickets/:id"
              element={
                <Guard allow={isStaff}>
                  <DeskTicketPage />
                </Guard>
              }
            />
            <Route
              path="/desk/alarms"
              element={
                <Guard allow={isStaff}>
                  <AlarmsPage />
                </Guard>
              }
            />
            <Route
              path="/desk/log-call"
              element={
                <Guard allow={isStaff}>
                  <LogCallPage />
                </Guard>
              }
            />
            <Route
              path="/security"
              element={
                <Guard allow={() => true}>
                  <SecurityPage />
                </Guard>
              }
            />
            <Route
              path="/admin/two-factor"
              element={
                <Guard allow={securityAdmin}>
                  <TwoFactorAdminPage />
                </Guard>
              }
            />
            <Route
              path="/reports"
              element={
                <Guard allow={readReports}>
                  <ReportsPage />
                </Guard>
              }
            />
            <Route path="/admin" element={<Navigate to="/admin/organisations" replace />} />
            <Route
              path="/admin/organisations"
              element={
                <Guard allow={manage}>
                  <OrganisationsPage />
                </Guard>
              }
            />
            <Route
              path="/admin/users"
              element={
                <Guard allow={manage}>
                  <UsersPage />
                </Guard>
              }
            />
            <Route
              path="/admin/calendars"
              element={
                <Guard allow={admin}>
                  <CalendarsPage />
                </Guard>
              }
            />
            <Route
              path="/admin/policies"
              element={
                <Guard allow={admin}>
                  <PoliciesPage />
                </Guard>
              }
            />
            <Route
              path="/admin/mail"
              element={
                <Guard allow={admin}>
                  <MailPage />
                </Guard>
              }
            />
            <Route
              path="/admin/audit"
              element={
                <Guard allow={manage}>
                  <AuditPage />
                </Guard>
              }
            />
            <Route
              path="/admin/personal-data"
              element={
                <Guard allow={admin}>
                  <PersonalDataPage />
                </Guard>
              }
            />
            <Route
              path="/admin/availability"
              element={
                <Guard allow={admin}>
                  <AvailabilityPage />
                </Guard>
              }
            />
            <Route
              path="/admin/contracts"
              element={
                <Guard allow={admin}>
                  <ContractsPage />
                </Guard>
              }
            />
            <Route
              path="/portal/staff-access"
              element={
                <Guard allow={(r) => r === 'customer_admin'}>
                  <StaffAccessPage />
                </Guard>
              }
            />
            <Route
              path="*"
              element={
                <Guard allow={() => true}>
                  <NotFound />
                </Guard>
              }
            />
          </Routes>
        </BrowserRouter>
      </AuthProvider>
    </QueryClientProvider>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
    </section>
  );
}
