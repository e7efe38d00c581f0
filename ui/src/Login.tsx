// The login screen: a Fjord API token (`fjord token create …`), checked against the API before it is kept.
import { useState } from 'react';
import { ApiError, setToken } from './api/client';

export function Login(): React.JSX.Element {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: React.SyntheticEvent): void => {
    e.preventDefault();
    const token = value.trim();
    setBusy(true);
    setError(null);
    fetch('/api/v1/session/userinfo', { headers: { authorization: `Bearer ${token}` } }).then((res) => {
      if (res.status === 401) throw new ApiError(401, 'The token was not accepted: it is unknown or was deleted.');
      if (!res.ok) throw new ApiError(res.status, `The server answered HTTP ${res.status}.`);
      setToken(token);
    }).catch((err: unknown) => { setError(err instanceof Error ? err.message : String(err)); }).finally(() => { setBusy(false); });
  };
  return (
    <main className="login">
      <form className="login-card" onSubmit={submit}>
        <h1>Sign in to Fjord</h1>
        <p className="muted">Paste an API token. Create one with <code>fjord token create --subject NAME --role role:admin</code>.</p>
        <label className="field"><span>Token</span>
          <input type="password" autoComplete="off" placeholder="fjord_…" value={value} onChange={(e) => { setValue(e.target.value); }} aria-label="Token" autoFocus />
        </label>
        {error !== null && <div className="banner error" role="alert">{error}</div>}
        <button type="submit" className="btn primary wide" disabled={busy || value.trim() === ''}>{busy ? 'Checking…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
