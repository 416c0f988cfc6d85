import { requireAuthenticated } from '@myorg/middleware';
import type { RegistryContext } from '../http/types.ts';
import { Messages } from '../messages.ts';
import type { Principal } from './Principal.ts';

// npm reads the challenge to decide whether to ask for a login (or, with `otp` in it, a one-time code).
const CHALLENGE = 'Bearer realm="registry"';

/**
 * The caller: 401 (with a challenge) when anonymous. What a signed-in caller may do with a package
 * is the access policy's to say (`access/AccessPolicy.ts`).
 */
export function requirePrincipal(ctx: Pick<RegistryContext, 'principal'>): Principal {
  return requireAuthenticated(ctx.principal, { message: Messages.loginRequired, challenge: CHALLENGE });
}
