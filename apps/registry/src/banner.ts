/** What the banner says about who may use the registry. */
export interface BannerAccess {
  /** The storage URL (REGISTRY_STORAGE), for the command that creates accounts in it. */
  storageUrl: string;
  /** Who signs people in: `local`, or `github (orgs ...)` (see `describeAuth`). */
  auth: string;
  allowRegistration: boolean;
  publicRead: boolean;
}

/**
 * What the server prints once it listens. Tests and scripts parse it, so its shape is a contract:
 * the first line ends with the listening URL, and every URL ends with a slash (npm resolves
 * paths such as `-/user/...` against it). The fifth line names the upstream proxied (or `none`);
 * the lines after it say who may read, how a new user gets an account, and who signs people in.
 */
export function banner(
  listeningUrl: string,
  publicUrl: string,
  storage: string,
  upstream: string,
  access: BannerAccess,
): string {
  const reads = access.publicRead
    ? 'reads:   open to anyone (REGISTRY_PUBLIC_READ=true)'
    : 'reads:   need a token from `npm login` (REGISTRY_PUBLIC_READ=true opens them to anyone)';
  // GitHub sign-in has no registration: membership of the orgs decides.
  const github = access.auth.startsWith('github');
  const accounts = github
    ? `new users: members of the GitHub organisations sign in with \`npm login --registry ${publicUrl}\``
    : access.allowRegistration
      ? 'new users: `npm adduser` creates an account (REGISTRY_ALLOW_REGISTRATION=true)'
      : `new users: an administrator runs \`npx myorg-admin user add <name> --email <address> --storage ${access.storageUrl}\`, then the user runs \`npm login --registry ${publicUrl}\` (REGISTRY_ALLOW_REGISTRATION=true lets \`npm adduser\` do it)`;
  return [
    `myorg registry listening on ${listeningUrl}`,
    `storage: ${storage}`,
    `use it:  npm config set registry ${publicUrl}`,
    `sign in: npm ${access.allowRegistration && !github ? 'adduser' : 'login'} --registry ${publicUrl}`,
    `upstream: ${upstream}`,
    reads,
    accounts,
    `auth:    ${access.auth}`,
    '',
  ].join('\n');
}

/** A URL fit to print: credentials written into it are left out. */
export function redacted(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}
