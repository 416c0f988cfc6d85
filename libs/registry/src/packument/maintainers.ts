import { ForbiddenError } from '@myorg/error';
import { Messages } from '../messages.ts';
import type { Packument } from './types.ts';

/**
 * 403 unless `user` maintains the package: only maintainers publish, tag, deprecate, unpublish or
 * change owners (`npm owner add` adds one). A package without maintainers (none of ours is) is open.
 */
export function assertMaintainer(packument: Packument, user: string): void {
  const { maintainers } = packument;
  if (maintainers === undefined || maintainers.length === 0) return;
  if (!maintainers.some((maintainer) => maintainer.name === user)) {
    throw new ForbiddenError(Messages.notMaintainer(user, packument.name), { code: 'ENOTMAINTAINER' });
  }
}
