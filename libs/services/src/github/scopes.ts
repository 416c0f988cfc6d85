/**
 * OAuth scopes that include others, from GitHub's "Scopes for OAuth apps" documentation. A token
 * granted a parent scope is sent only the parent in `X-OAuth-Scopes`.
 */
const INCLUDED_SCOPES: Record<string, readonly string[]> = {
  repo: ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events'],
  'admin:repo_hook': ['write:repo_hook'],
  'write:repo_hook': ['read:repo_hook'],
  'admin:org': ['write:org'],
  'write:org': ['read:org'],
  'admin:public_key': ['write:public_key'],
  'write:public_key': ['read:public_key'],
  'admin:gpg_key': ['write:gpg_key'],
  'write:gpg_key': ['read:gpg_key'],
  'admin:ssh_signing_key': ['write:ssh_signing_key'],
  'write:ssh_signing_key': ['read:ssh_signing_key'],
  user: ['read:user', 'user:email', 'user:follow'],
  project: ['read:project'],
  'write:packages': ['read:packages'],
  codespace: ['codespace:secrets'],
  'admin:enterprise': ['manage_runners:enterprise', 'manage_billing:enterprise', 'read:enterprise'],
};

/** The scopes of an `X-OAuth-Scopes` header (`"repo, read:org"`); none when the header is absent. */
export function parseScopes(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
}

/** The scopes of `required` that `granted` covers neither directly nor through a parent scope. */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  const covered = new Set<string>();
  const pending = [...granted];
  for (let scope = pending.pop(); scope !== undefined; scope = pending.pop()) {
    if (covered.has(scope)) continue;
    covered.add(scope);
    pending.push(...(INCLUDED_SCOPES[scope] ?? []));
  }
  return required.filter((scope) => !covered.has(scope));
}
