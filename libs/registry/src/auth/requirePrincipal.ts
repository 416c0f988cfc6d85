import { ForbiddenError } from '@myorg/error';
import { requireAuthenticated } from '@myorg/middleware';
import type { RegistryContext } from '../http/types.ts';
import { Messages } from '../messages.ts';
import type { Principal } from './Principal.ts';

// npm reads the challenge to decide whether to ask for a login (or, with `otp` in it, a one-time code).
const CHALLENGE = 'Bearer realm="registry"';

/** The caller: 401 (with a challenge) when anonymous. */
export function requirePrincipal(ctx: RegistryContext): Principal {
  return requireAuthenticated(ctx.principal, { message: Messages.loginRequired, challenge: CHALLENGE });
}

/** The caller of a write: 401 (with a challenge) when anonymous, 403 for a read-only token. */
export function requireWriter(ctx: RegistryContext): Principal {
  const principal = requirePrincipal(ctx);
  if (principal.readOnly) throw new ForbiddenError(Messages.readOnlyToken, { code: 'EREADONLY' });
  return principal;
}
