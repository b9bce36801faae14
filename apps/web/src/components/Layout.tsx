import { NavLink, useNavigate } from 'react-router';
import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { displayName, isCustomer, isStaff, useAuth } from '../auth';
import { AlarmTicker } from './AlarmTicker';

export function Layout({ children }: { children: ReactNode }) {
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  // Move focus to the page on navigation so keyboard and screen-reader users start at its heading.
  useEffect(() => {
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [location.pathname]);
  if (!user) return null;
  const role = user.role;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand" aria-hidden="true">
          Helpdesk
        </span>
        <nav aria-label="Main">
          <ul>
            {isCustomer(role) && (
              <>
                <li>
                  <NavLink to="/portal" end>
                    {role === 'customer_admin' ? "Our organisation's tickets" : 'My tickets'}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/portal/new">Raise a ticket</NavLink>
                </li>
                <li>
                  <NavLink to="/portal/chat">Chat</NavLink>
                </li>
                {role === 'customer_admin' && (
                  <li>
                    <NavLink to="/portal/staff-access">Staff access</NavLink>
                  </li>
                )}
              </>
            )}
            {isStaff(role) && (
              <>
                <li>
                  <NavLink to="/desk" end>
                    Queues
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/desk/chats">Chats</NavLink>
                </li>
                <li>
                  <NavLink to="/desk/alarms">Alarms</NavLink>
                </li>
                <li>
                  <NavLink to="/desk/log-call">Log a call</NavLink>
                </li>
              </>
            )}
            {(role === 'admin' || role === 'manager' || role === 'customer_admin') && (
              <li>
                <NavLink to="/reports">Reports</NavLink>
              </li>
            )}
            {(role === 'admin' || role === 'manager') && (
              <>
                <li>
                  <NavLink to="/admin/organisations">Organisations</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/users">Users</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/audit">Audit</NavLink>
                </li>
              </>
            )}
            {(role === 'admin' || role === 'customer_admin') && (
              <li>
                <NavLink to="/admin/two-factor">Two-factor</NavLink>
              </li>
            )}
            {role === 'admin' && (
              <>
                <li>
                  <NavLink to="/admin/calendars">Calendars</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/policies">Policies</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/personal-data">Personal data</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/contracts">Contracts</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/availability">Availability</NavLink>
                </li>
                <li>
                  <NavLink to="/admin/mail">Mail</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
        <div className="who">
          <span>
            {displayName(user)} <span className="role">({role.replace('_', ' ')})</span>
          </span>
          <NavLink to="/security">Security</NavLink>
          <button
            type="button"
            className="link"
            onClick={async () => {
              await logout();
              navigate('/login');
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      {isStaff(role) && <AlarmTicker />}
      <main id="main" ref={main}>
        {children}
      </main>
    </>
  );
}
