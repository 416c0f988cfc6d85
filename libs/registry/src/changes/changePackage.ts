import { ConflictError, NotFoundError } from '@myorg/error';
import type { Logger } from '@myorg/logger';
import { isPlainObject } from '@myorg/utilities';
import type { AccessAction, AccessPolicy, Caller } from '../access/AccessPolicy.ts';
import { type EventFields, recordEvent } from '../events/RegistryEvents.ts';
import { Messages } from '../messages.ts';
import type { Packument, Person } from '../packument/types.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';
import type { TarballStore } from '../storage/TarballStore.ts';
import { applyPackageChange, changeAction, type PackageChange } from './applyPackageChange.ts';
import { requestedMaintainers } from './changeMaintainers.ts';
import { unpublishPackage } from './unpublishPackage.ts';

/** What a change of a published package works with. */
export interface ChangeDependencies {
  packuments: PackumentRepository;
  tarballs: TarballStore;
  access: AccessPolicy;
  /** The clock for `time` fields. */
  now: () => Date;
  /** Whether a user of that name exists: only users can become maintainers. */
  userExists: (name: string) => Promise<boolean>;
}

/** The current packument of a package that has something published, else 404. */
export function requirePublished(current: Packument | undefined): Packument {
  if (current === undefined || Object.keys(current.versions).length === 0) {
    throw new NotFoundError(Messages.noSuchPackage);
  }
  return current;
}

/** 409 unless `rev` names the revision the client last read. */
export function assertRevision(current: Packument, rev: string): void {
  if (rev !== current._rev) {
    throw new ConflictError(Messages.staleRevision(rev, current._rev), { code: 'EREVCONFLICT' });
  }
}

/**
 * Deprecation, version unpublish and owner changes from a packument sent back. With `rev` (`PUT
 * /:pkg/-rev/:rev`) the client must have read the current revision, and versions may be removed;
 * without it (`PUT /:pkg`, as `npm deprecate` sends) only deprecations are taken. The access policy
 * decides on what the body asks for (`changeAction`).
 */
export async function changePackage(
  deps: ChangeDependencies,
  name: string,
  body: unknown,
  rev: string | undefined,
  caller: Caller,
): Promise<Packument> {
  const options = { allowRemoval: rev !== undefined };
  const actionOn = (current: Packument | undefined) => changeAction(current, body, options);
  const maintainers = isPlainObject(body) ? requestedMaintainers(body) : undefined;
  if (maintainers !== undefined) await assertNewMaintainersExist(deps, name, caller, maintainers);
  return changeAllowed(deps, name, caller, actionOn, (published) => {
    if (rev !== undefined) assertRevision(published, rev);
    return applyPackageChange(published, body, deps.now(), options);
  });
}

/**
 * 404 when `npm owner add` names nobody: a maintainer who cannot log in could never use the package.
 * Asked only of callers who may change the owners, so nobody else learns which users exist; names
 * already listed pass.
 */
async function assertNewMaintainersExist(
  deps: ChangeDependencies,
  name: string,
  caller: Caller,
  maintainers: readonly Person[],
): Promise<void> {
  const current = await deps.packuments.read(name);
  deps.access.recheck(caller, 'owner', name, current);
  const listed = new Set(requirePublished(current).maintainers?.map((maintainer) => maintainer.name));
  for (const { name: candidate } of maintainers) {
    if (!listed.has(candidate) && !(await deps.userExists(candidate))) {
      throw new NotFoundError(Messages.noSuchMaintainer(candidate, name));
    }
  }
}

/**
 * Refuses, before its body is taken in, a caller who may make no change to `name` (every write is
 * decided by the package's publish rule), so a refused publish never has its tarball staged. The
 * refusal is recorded as the write the body asks for (`writeOf` reads it only as far as it must),
 * not as the publish it was checked as; a body that cannot be read is recorded as that publish.
 */
export async function refuseWriteEarly(
  access: AccessPolicy,
  caller: Caller,
  name: string,
  current: Packument | undefined,
  writeOf: () => Promise<AccessAction>,
): Promise<void> {
  if (access.decide(caller.principal, 'publish', name, current).allowed) return;
  const action = await writeOf().catch((): AccessAction => 'publish');
  access.recheck(caller, action, name, current);
  // Unreached while every write shares the rule; should one ever not, the refusal still stands.
  access.recheck(caller, 'publish', name, current);
}

/** `npm unpublish <pkg>`: every version goes, and the name keeps their history (see unpublishPackage). */
export async function unpublishWholePackage(
  deps: ChangeDependencies,
  name: string,
  rev: string,
  caller: Caller,
): Promise<Packument> {
  return changeAllowed(
    deps,
    name,
    caller,
    () => 'unpublish',
    (published) => {
      assertRevision(published, rev);
      return { packument: unpublishPackage(published, deps.now()), removed: Object.keys(published.versions) };
    },
  );
}

/**
 * Applies `change` to a published package if the access policy lets `caller` do what it is (`actionOn`),
 * then deletes the tarballs of the versions it removed (only once the new packument is stored, so
 * nothing reachable goes). The decision is logged on the read copy, and made again on the document
 * the write changes.
 */
async function changeAllowed(
  { packuments, tarballs, access }: ChangeDependencies,
  name: string,
  caller: Caller,
  actionOn: (current: Packument | undefined) => AccessAction,
  change: (published: Packument) => PackageChange,
): Promise<Packument> {
  const read = await packuments.read(name);
  access.assert(caller, actionOn(read), name, read);
  let removed: string[] = [];
  let event: EventFields | undefined;
  const stored = await packuments.update(name, (current) => {
    const action = actionOn(current);
    access.recheck(caller, action, name, current);
    const published = requirePublished(current);
    const result = change(published);
    removed = result.removed;
    event = changeEvent(action, published, result);
    return result.packument;
  });
  if (event !== undefined) recordEvent(caller, event);
  await removeTarballs(tarballs, name, removed, caller.logger);
  return stored;
}

/** The audit event of a change that took effect (none when it changed nothing). */
function changeEvent(
  action: AccessAction,
  before: Packument,
  { packument: after, removed }: PackageChange,
): EventFields | undefined {
  if (after === before) return undefined;
  const event: EventFields = { action, outcome: 'ok', package: before.name };
  if (action === 'owner') {
    event.detail = `maintainers: ${(after.maintainers ?? []).map((maintainer) => maintainer.name).join(', ')}`;
    return event;
  }
  // Whole-package unpublish removes every version; the event names the package alone.
  const versions =
    action === 'unpublish'
      ? removed
      : Object.keys(after.versions).filter(
          (version) => after.versions[version]?.deprecated !== before.versions[version]?.deprecated,
        );
  if (Object.keys(after.versions).length > 0 || action !== 'unpublish') event.version = versions.join(', ');
  return event;
}

/**
 * Deletes the bytes of unpublished versions. The packument no longer points at them, so a failure
 * here only leaves unreachable objects behind: it is logged, not reported to the client.
 */
export async function removeTarballs(
  tarballs: TarballStore,
  name: string,
  versions: readonly string[],
  logger: Logger,
): Promise<void> {
  for (const version of versions) {
    try {
      await tarballs.removeVersion(name, version);
    } catch (error) {
      logger.warn('could not remove the tarballs of an unpublished version', { name, version, error });
    }
  }
}
