import { Header } from '@myorg/constants';
import { ForbiddenError, UnauthorizedError } from '@myorg/error';
import type { RegistryContext } from '../http/types.ts';
import { Messages } from '../messages.ts';
import type { Principal } from './types.ts';

/** The caller of a write: 401 (with a challenge) when anonymous, 403 for a read-only token. */
export function requireWriter(ctx: RegistryContext): Principal {
  const { principal } = ctx;
  if (principal === undefined) {
    throw new UnauthorizedError(Messages.loginRequired, {
      headers: { [Header.WWW_AUTHENTICATE]: 'Bearer realm="registry"' },
    });
  }
  if (principal.readOnly) throw new ForbiddenError(Messages.readOnlyToken, { code: 'EREADONLY' });
  return principal;
}
