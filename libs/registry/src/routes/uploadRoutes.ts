import { json } from '@myorg/response';
import type { AccessPolicy } from '../access/AccessPolicy.ts';
import { requirePrincipal } from '../auth/requirePrincipal.ts';
import { type Route, route } from '../http/types.ts';
import type { TarballStore } from '../storage/TarballStore.ts';

/**
 * How long an upload URL works. The commit must follow before the sweep of pending objects
 * (REGISTRY_TEMPORARY_MAX_AGE, 1 hour by default) removes the upload.
 */
export const UPLOAD_URL_SECONDS = 15 * 60;

/**
 * `POST /-/myorg/v1/uploads`: a publish whose tarball is too large for a request (AWS Lambda takes
 * 6 MB) sends it straight to storage instead. A writer gets an upload id and a signed URL to PUT
 * the tarball to, then publishes with `PUT /:pkg` as npm does, the attachment naming the upload
 * (`{ "upload": "<id>" }`) in place of its base64 `data`. Mounted only when the storage can sign
 * URLs, so a 404 here tells a client to publish the usual way.
 *
 * The offer names no package, so it is refused only to callers who may publish nothing at all; the
 * commit is a publish like any other, and checks the name before it claims the upload.
 */
export function uploadRoutes(tarballs: TarballStore, access: AccessPolicy, maxUploadBytes: number): Route[] {
  if (!tarballs.offersUploads) return [];
  return [
    route('POST', '/-/myorg/v1/uploads', async (_req, ctx) => {
      access.assert(ctx, 'publish');
      const principal = requirePrincipal(ctx);
      const { id, signed } = await tarballs.offerUpload(principal.name, UPLOAD_URL_SECONDS);
      return json(
        201,
        {
          id,
          url: signed.url,
          method: signed.method,
          headers: signed.headers,
          expiresAt: signed.expiresAt.toISOString(),
          maxBytes: maxUploadBytes,
        },
        { 'cache-control': 'no-store' },
      );
    }),
  ];
}
