// Entry point: the top bar, the login screen when there is no token, and the two routes.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, getToken, onTokenChange } from './api/client';
import type { UserInfo } from './api/types';
import { onLinkClick, useRoute } from './common/router';
import { Login } from './Login';
import { AppList } from './list/AppList';
import { AppPage } from './app/AppPage';
import './styles.css';

function Shell(): React.JSX.Element {
  const [token, setTok] = useState(getToken());
  const [user, setUser] = useState<UserInfo | null>(null);
  const [version, setVersion] = useState('');
  const route = useRoute();
  useEffect(() => onTokenChange(() => { setTok(getToken()); }), []);
  useEffect(() => { api.settings().then((s) => { setVersion(s.version ?? ''); }, () => undefined); }, []);
  useEffect(() => {
    if (token === null) { setUser(null); return; }
    api.userInfo().then(setUser, () => undefined);
  }, [token]);
  return (
    <>
      <header className="topbar">
        <a className="brand" href="/applications" onClick={onLinkClick('/applications')}>
          <svg width="22" height="22" viewBox="0 0 16 16" aria-hidden="true"><path d="M1 10.5c2.5-3.5 4.5-3.5 7 0s4.5 3.5 7 0V15H1z" fill="#5cb3ff" /><path d="M1 7c2.5-3.5 4.5-3.5 7 0s4.5 3.5 7 0" stroke="#fff" strokeWidth="1.4" fill="none" /></svg>
          Fjord
        </a>
        {version && <span className="version">{version}</span>}
        <span className="spacer" />
        {token !== null && <span className="user" data-testid="user">{user?.subject ?? ''}</span>}
        {token !== null && <button type="button" className="btn ghost small" onClick={() => { localStorage.removeItem('fjord.token'); location.reload(); }}>Log out</button>}
      </header>
      {token === null ? <Login /> : route.page === 'app' ? <AppPage key={route.name} name={route.name} node={route.node} /> : <AppList />}
    </>
  );
}

const el = document.getElementById('root');
if (el) createRoot(el).render(<StrictMode><Shell /></StrictMode>);
