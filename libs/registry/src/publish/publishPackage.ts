import { ConflictError } from '@myorg/error';
import type { Logger } from '@myorg/logger';
import type { AccessPolicy, Caller } from '../access/AccessPolicy.ts';
import { recordEvent } from '../events/RegistryEvents.ts';
import { Messages } from '../messages.ts';
import type { Packument, Person } from '../packument/types.ts';
import type { AttestationStore } from '../storage/AttestationStore.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';
import type { TarballStore } from '../storage/TarballStore.ts';
import type { UpstreamProxy } from '../upstream/UpstreamProxy.ts';
import { addVersion, wasPublished } from './addVersion.ts';
import { inspectTarball } from './inspectTarball.ts';
import { parsePublishBody } from './parsePublishBody.ts';
import { reconcileManifest } from './reconcileManifest.ts';

/** What a publish works with. */
export interface PublishDependencies {
  packuments: PackumentRepository;
  tarballs: TarballStore;
  /** Where a publish's provenance bundle is kept. */
  attestations: AttestationStore;
  access: AccessPolicy;
  /** Consulted on a name's first publish; undefined when nothing is proxied. */
  upstream: UpstreamProxy | undefined;
  /** The clock for `time` fields. */
  now: () => Date;
}

/**
 * `npm publish`, its tarball staged by `receivePublishBody`: checks the body and the staged
 * tarball, stores the tarball under its final key only once every check has passed, then adds the
 * version to the packument in one optimistic read-modify-write. The packument is written last, so
 * a crash or a refusal at any point leaves no version pointing at missing bytes; a tarball left
 * behind by a failed publish is never referenced and is removed when that is provably safe. The
 * staged object is the caller's to discard.
 */
export async function publishPackage(
  { packuments, tarballs, attestations, access, upstream, now }: PublishDependencies,
  name: string,
  body: unknown,
  publisher: Person,
  caller: Caller,
): Promise<Packument> {
  const parsed = parsePublishBody(name, body);
  // What npm installs is the tarball: its package.json must be what the registry will show.
  const contents = await inspectTarball(await tarballs.readStaged(parsed.tarball.key));
  const request = { ...parsed, manifest: await reconcileManifest(parsed.manifest, contents) };
  const { version } = request;
  const { shasum } = request.manifest.dist;
  // Refusing here saves writing the bytes; the update below decides for good.
  const current = await packuments.read(name);
  access.assert(caller, 'publish', name, current);
  if (wasPublished(current, version)) {
    throw new ConflictError(Messages.versionExists(version), { code: 'EPUBLISHCONFLICT' });
  }
  // A name's first publish must not shadow an upstream package (dependency confusion); once a
  // package is published here it stays ours, whatever appears upstream later.
  if (current === undefined) await upstream?.assertPublishable(name);
  await tarballs.commit(request.tarball.key, name, version, shasum);
  // Stored before the packument names it, as the tarball is; addressed by the tarball's digest, so
  // a publish that loses leaves a bundle nothing points at, never one for other bytes.
  if (request.provenance !== undefined) {
    await attestations.put(name, version, shasum, [request.provenance]);
  }
  let stored: Packument;
  try {
    stored = await packuments.update(name, (current) => {
      // Decided again on the document this publish changes: whether the name is new, and who owns
      // it, may have changed since the read above (a concurrent first publish takes the name).
      access.recheck(caller, 'publish', name, current);
      return addVersion(current, request, publisher, now());
    });
  } catch (error) {
    await discardTarball(packuments, tarballs, name, version, shasum, caller.logger);
    throw error;
  }
  recordEvent(caller, { action: 'publish', outcome: 'ok', package: name, version });
  return stored;
}

/**
 * Removes the tarball of a publish that failed, but only once the version belongs to someone else
 * for good (published with other bytes, or unpublished): then nothing can ever point at ours. If
 * the stored version has these very bytes, or the version is still free (a concurrent publish of
 * the same tarball may be about to commit), the object stays: unreferenced bytes are invisible.
 */
async function discardTarball(
  packuments: PackumentRepository,
  tarballs: TarballStore,
  name: string,
  version: string,
  shasum: string,
  logger: Logger,
): Promise<void> {
  try {
    const stored = await packuments.read(name);
    if (!wasPublished(stored, version) || stored?.versions[version]?.dist.shasum === shasum) return;
    await tarballs.remove(name, version, shasum);
  } catch (error) {
    logger.warn('could not remove the tarball of a failed publish', { name, version, error });
  }
}
