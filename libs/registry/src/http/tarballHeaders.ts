import { ContentType, Header } from '@myorg/constants';

/**
 * The headers of a tarball response. The bytes behind a version never change, so the digest they
 * are stored under is a strong ETag and clients may keep the file for good.
 */
export function tarballHeaders(etag: string): Record<string, string> {
  return {
    [Header.CONTENT_TYPE]: ContentType.OCTET_STREAM,
    [Header.ETAG]: etag,
    [Header.CACHE_CONTROL]: 'public, max-age=31536000, immutable',
  };
}
