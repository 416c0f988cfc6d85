/**
 * The web UI's one script: sign-in through the provider's npm login flow, sign-out and token
 * revocation. Every request it makes carries `X-Registry-UI`, the header without which the registry
 * ignores the session cookie on a write: a page of another site cannot send it without CORS
 * allowing it, which the registry never does.
 */
export const SCRIPT = `(() => {
  'use strict';
  const base = document.body.dataset.base || '';
  const UI = { 'x-registry-ui': '1' };
  const say = (text) => {
    const status = document.getElementById('status');
    if (status) status.textContent = text;
  };
  const call = (method, path, body) =>
    fetch(base + path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? UI : { ...UI, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const errorOf = async (response) => {
    try { return (await response.json()).error || response.statusText; } catch { return response.statusText; }
  };

  const startSession = async (token) => {
    const response = await call('POST', '/-/ui/session', { token });
    if (!response.ok) return say(await errorOf(response));
    const next = new URLSearchParams(location.search).get('next');
    location.assign(next && next.startsWith('/') && !next.startsWith('//') ? base + next : base + '/-/ui/account');
  };

  const passwordForm = document.querySelector('form[data-password-login]');
  if (passwordForm) {
    passwordForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = passwordForm.elements.namedItem('name').value.trim();
      const password = passwordForm.elements.namedItem('password').value;
      say('Signing in…');
      const response = await call('PUT', '/-/user/org.couchdb.user:' + encodeURIComponent(name), { name, password });
      if (!response.ok) return say(await errorOf(response));
      await startSession((await response.json()).token);
    });
  }

  const webLogin = document.querySelector('button[data-web-login]');
  if (webLogin) {
    webLogin.addEventListener('click', async () => {
      const response = await call('POST', '/-/v1/login');
      if (!response.ok) return say(await errorOf(response));
      const { loginUrl, doneUrl } = await response.json();
      window.open(loginUrl, '_blank', 'noopener');
      say('Finish signing in in the window that opened; this page continues by itself.');
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const done = await fetch(doneUrl, { headers: UI, credentials: 'same-origin' });
        if (done.status === 202) continue;
        if (!done.ok) return say(await errorOf(done));
        return startSession((await done.json()).token);
      }
    });
  }

  for (const button of document.querySelectorAll('button[data-revoke]')) {
    button.addEventListener('click', async () => {
      button.disabled = true;
      const response = await call('DELETE', '/-/npm/v1/tokens/token/' + encodeURIComponent(button.dataset.revoke));
      if (!response.ok) {
        button.disabled = false;
        return say(await errorOf(response));
      }
      button.closest('tr').remove();
      say('Token revoked.');
    });
  }

  const signOut = document.querySelector('button[data-sign-out]');
  if (signOut) {
    signOut.addEventListener('click', async () => {
      await call('POST', '/-/ui/logout');
      location.assign(base + '/');
    });
  }
})();
`;
