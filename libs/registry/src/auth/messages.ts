/**
 * What the auth endpoints tell clients, in the words npm users know (npm prints the `error` field
 * after the status line). Kept next to the auth code because the registry's catalogue
 * (`../messages.ts`) belongs to the protocol core; the messages both share (login required,
 * read-only token) come from there.
 */
export const AuthMessages = {
  // Login and adduser
  registrationDisabled: (name: string) =>
    `registration is closed on this registry and there is no user "${name}": ask an administrator to create your account (myorg-admin user add ${name} --email <address> --storage <registry storage>), then run \`npm login\``,
  userExists: (name: string) => `there is already a user "${name}"`,
  unknownUserLogin: (name: string) => `there is no user "${name}": create it with \`npm adduser\``,
  incorrectPassword: 'incorrect username or password',
  invalidUserName: (name: string, problem: string) => `invalid user name ${JSON.stringify(name)}: ${problem}`,
  invalidGroupName: (name: string, problem: string) =>
    `invalid group name ${JSON.stringify(name)}: ${problem}`,
  userNameMismatch: (urlName: string, bodyName: unknown) =>
    `user name in the URL (${urlName}) does not match the name in the body (${String(bodyName)})`,
  basicUserMismatch: 'the user name in the Authorization header does not match the user being logged in',
  notAUserDocument: 'expected a path of the form /-/user/org.couchdb.user:<name>',
  passwordRequired: 'password is required',
  passwordTooShort: (minimum: number) => `password must be at least ${minimum} characters long`,
  passwordTooLong: (maximum: number) => `password must be at most ${maximum} characters long`,
  invalidEmail: 'email must be an address such as someone@example.com',
  noSuchUser: 'no such user',
  webLoginUnsupported: 'web login is not offered by this registry: log in with a user name and password',

  // GitHub sign-in
  githubTokenRejected:
    'GitHub did not accept the password: log in with your GitHub user name and a GitHub personal access token as the password',
  githubLoginMismatch: (name: string, login: string) =>
    `the GitHub token given belongs to ${login}, not ${name}: log in as ${login}`,
  githubUnavailable: (reason: string) =>
    `cannot check your account with GitHub right now (${reason}): try again in a minute`,
  confirmNeedsGitHubToken:
    'to create a token, enter a GitHub personal access token of your own account as the password',
  invalidGitHubLogin: (name: string) => `${JSON.stringify(name)} is not a GitHub user name`,
  loginUnknown: 'this login is unknown, expired or already finished: run `npm login` again',
  loginStateMismatch: 'this sign-in does not belong to a login in progress: run `npm login` again',
  oauthRefused: (reason: string) =>
    `GitHub did not complete the sign-in (${reason}): run \`npm login\` again`,
  signedInPage: (login: string) => `Signed in to the registry as ${login}. Return to your terminal.`,

  // Tokens
  noSuchToken: (id: string) => `no such token: ${id}`,
  ambiguousToken: (id: string) =>
    `token id "${id}" matches more than one of your tokens: give more characters`,
  readOnlyCannotManageTokens:
    'a read-only token cannot create tokens or revoke other tokens: log in again to do that',
  cidrInvalid: (problems: readonly string[]) => `invalid CIDR whitelist: ${problems.join('; ')}`,
  cidrUnavailable:
    'this registry cannot see client addresses here, so it cannot limit a token to CIDR ranges: create the token without --cidr',
  scopedTokensUnsupported:
    'tokens limited to packages, scopes or organisations are not supported by this registry: create the token without --packages, --scopes or --orgs',
  noAccessTokensUnsupported:
    'a token without access to packages is not useful here: use read-only or read-write',
  invalidTokenField: (field: string, expected: string) => `${field} must be ${expected}`,

  // Successes: npm ignores these bodies, people reading logs do not.
  loggedOut: 'logged out',
  tokenRevoked: 'token revoked',
} as const;
