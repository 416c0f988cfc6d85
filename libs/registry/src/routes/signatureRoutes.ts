import { ContentType, Header } from '@myorg/constants';
import { NotFoundError } from '@myorg/error';
import type { HttpResponse } from '@myorg/response';
import { isValidVersion } from '@myorg/validation';
import type { AccessPolicy } from '../access/AccessPolicy.ts';
import { type Route, route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import type { AttestationStore } from '../storage/AttestationStore.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';
import type { UpstreamProxy } from '../upstream/UpstreamProxy.ts';

/**
 * What `npm audit signatures` asks a registry besides packuments: `GET /-/npm/v1/keys`, the keys
 * that check `dist.signatures`, and `GET /-/npm/v1/attestations/<name>@<version>`, a version's
 * Sigstore bundles. Both come from the upstream for proxied packages; a local version's
 * attestations are the provenance its publish carried. This registry signs nothing itself, so
 * without an upstream it has no keys and answers 404, which npm reads as "a registry without
 * signing keys": it then expects no signatures of its packages.
 */
export function signatureRoutes(
  packuments: PackumentRepository,
  attestations: AttestationStore,
  access: AccessPolicy,
  upstream: UpstreamProxy | undefined,
): Route[] {
  return [
    route('GET', '/-/npm/v1/keys', async () => {
      if (upstream === undefined) throw new NotFoundError(Messages.noSigningKeys);
      return upstream.keys();
    }),
    route('GET', '/-/npm/v1/attestations/:pkg@:version', async (_req, ctx, { pkg: name, version }) => {
      const notFound = new NotFoundError(Messages.noAttestations(name, version));
      const packument = await packuments.read(name);
      await access.assertRead(ctx, name, async () => packument);
      if (packument === undefined) {
        const proxied = await upstream?.attestations(name, version);
        if (proxied === undefined) throw notFound;
        return proxied;
      }
      const dist = isValidVersion(version) ? packument.versions[version]?.dist : undefined;
      const stored = dist?.attestations && (await attestations.get(name, version, dist.shasum));
      if (stored === undefined) throw notFound;
      return json(stored);
    }),
  ];
}

function json(body: Buffer): HttpResponse {
  return { status: 200, headers: { [Header.CONTENT_TYPE]: ContentType.JSON }, body };
}
