import { createHmac, timingSafeEqual } from 'node:crypto';

/** The `X-Registry-Signature-256` header: `sha256=` and the hex HMAC-SHA256 of the body under the hook's secret. */
export const SIGNATURE_HEADER = 'x-registry-signature-256';

export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a receiver does: recompute the signature and compare in constant time. */
export function verifyWebhook(body: string, secret: string, signature: string | undefined): boolean {
  if (signature === undefined) return false;
  const expected = Buffer.from(signWebhook(body, secret));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
