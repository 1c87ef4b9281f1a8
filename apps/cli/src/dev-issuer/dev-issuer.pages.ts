/** Roles the dev login form offers (the gateway admin roles). */
export const DEV_ISSUER_ROLES = ['privacy-officer', 'auditor', 'integrator'] as const;

const AUTHORIZATION_PARAMETERS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
];

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin-top:1rem;font-weight:600}input,select{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;border:1px solid #555}
button{margin-top:1.5rem;font:inherit;padding:.5rem 1.2rem;background:#154273;color:#fff;border:0}
:focus-visible{outline:3px solid #b35900;outline-offset:2px}.hint{color:#444;font-size:.9rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** The dev login form: pick a user name, a role and an optional partner scope. No password (dev only). */
export function renderDevLogin(params: URLSearchParams, clientId: string): string {
  const hidden = AUTHORIZATION_PARAMETERS.map(
    (name) => `<input type="hidden" name="${name}" value="${escape(params.get(name) ?? '')}">`,
  ).join('');
  const roles = DEV_ISSUER_ROLES.map((role) => `<option value="${role}">${role}</option>`).join('');
  return page(
    'Ketenpoort dev issuer — sign in',
    `<h1>Ketenpoort dev issuer</h1>
<p class="hint">Embedded default for development only: no password. <strong>${escape(clientId)}</strong> asks who you are.</p>
<form method="post" action="/authorize">${hidden}
<label for="user">User name</label><input id="user" name="user" required pattern="[a-z0-9][a-z0-9._\\-]{0,63}" autocomplete="username">
<label for="role">Role</label><select id="role" name="role">${roles}</select>
<label for="partnerScope">Partner scope (optional, comma-separated partner ids)</label><input id="partnerScope" name="partnerScope">
<button type="submit">Sign in</button></form>`,
  );
}

export function renderDevProblem(error: string, message: string): string {
  return page(
    'Ketenpoort dev issuer — error',
    `<h1>Sign-in refused</h1><p><code>${escape(error)}</code>: ${escape(message)}</p>`,
  );
}
