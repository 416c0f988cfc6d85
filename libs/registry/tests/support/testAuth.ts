import type { AuthProvider, Principal } from '../../src/auth/types.ts';

/** Bearer tokens the in-test provider knows: two publishers and a read-only reader, its only users. */
export const WRITER_TOKEN = 'writer-token';
export const OTHER_WRITER_TOKEN = 'other-writer-token';
export const READER_TOKEN = 'reader-token';

const principals = new Map<string, Principal>([
  [`Bearer ${WRITER_TOKEN}`, { name: 'alice', readOnly: false }],
  [`Bearer ${OTHER_WRITER_TOKEN}`, { name: 'bob', email: 'bob@example.test', readOnly: false }],
  [`Bearer ${READER_TOKEN}`, { name: 'rita', readOnly: true }],
]);

/** A fixed-token provider: the registry's contract with auth, without the `local` implementation. */
export function testAuth(): AuthProvider {
  return {
    name: 'test',
    authenticate: async (authorization) =>
      authorization === undefined ? undefined : principals.get(authorization),
    userExists: async (name) => [...principals.values()].some((principal) => principal.name === name),
    routes: () => [],
  };
}
