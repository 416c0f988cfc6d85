/**
 * An object's bytes as the "nothing changed" checks compare them: a token record without its
 * `lastUsed`, which the registry writes on a token's first use in an hour, allowed or refused.
 * That bookkeeping is not a change a refused request may not make; every other byte counts.
 */
export function comparableBody(key: string, body: Buffer): Buffer {
  if (!key.includes('auth/tokens/')) return body;
  const { lastUsed: _lastUsed, ...record } = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  return Buffer.from(JSON.stringify(record));
}
