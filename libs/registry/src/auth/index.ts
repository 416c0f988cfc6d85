export { createGitHubAuth, type GitHubAuthOptions } from './github/createGitHubAuth.ts';
export { createLocalUser, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type NewUser } from './local/addUser.ts';
export { createLocalAuth, type LocalAuthOptions } from './local/createLocalAuth.ts';
export { AuthMessages } from './messages.ts';
export { TOKEN_PREFIX } from './tokens/accessToken.ts';
export type { TokenCacheOptions } from './tokens/tokenAuthenticator.ts';
export type { AuthProvider, Principal } from './types.ts';
