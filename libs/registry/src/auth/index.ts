export { TOKEN_PREFIX } from './local/accessToken.ts';
export { createLocalUser, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type NewUser } from './local/addUser.ts';
export { createLocalAuth, type LocalAuthOptions } from './local/createLocalAuth.ts';
export type { TokenCacheOptions } from './local/tokenAuthenticator.ts';
export { AuthMessages } from './messages.ts';
export type { AuthProvider, Principal } from './types.ts';
