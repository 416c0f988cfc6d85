import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsonError } from './support/expectJsonError.ts';
import { publishBody, writePackage } from './support/fixtures.ts';
import { packagePath, request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';
import { snapshotStorage } from './support/storageSnapshot.ts';
import { directoryStorage } from './support/testStorage.ts';

const TOO_DEEP = /the request body nests deeper than 64 levels/;
/** A package whose stored manifest is 3,500 levels deep, as a registry without the bound let in. */
const STORED_DEEP = 'deep-stored';

/** `depth` objects inside each other. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = { level: value };
  return value;
}

/** The packument of STORED_DEEP as an earlier registry stored it: relative tarball path, maintained by `owner`. */
function storedDeepPackument(owner: string) {
  const time = '2026-01-01T00:00:00.000Z';
  return {
    _id: STORED_DEEP,
    _rev: '1-0123456789abcdef',
    name: STORED_DEEP,
    'dist-tags': { latest: '1.0.0' },
    versions: {
      '1.0.0': {
        name: STORED_DEEP,
        version: '1.0.0',
        _id: `${STORED_DEEP}@1.0.0`,
        config: nested(3_500),
        dist: {
          shasum: '0'.repeat(40),
          integrity: `sha512-${'A'.repeat(86)}==`,
          tarball: `${STORED_DEEP}/-/${STORED_DEEP}-1.0.0.tgz`,
        },
      },
    },
    time: { created: time, modified: time, '1.0.0': time },
    maintainers: [{ name: owner, email: `${owner}@example.com` }],
  };
}

describe('manifests nested deeper than the bound', { timeout: 120_000 }, () => {
  // Planted before the server starts on it.
  const storageDir = join(tmpdir(), `registry-e2e-deep-storage-${randomUUID()}`);

  beforeAll(async () => {
    await mkdir(join(storageDir, 'packuments'), { recursive: true });
    await writeFile(
      join(storageDir, 'packuments', `${STORED_DEEP}.json`),
      JSON.stringify(storedDeepPackument('publisher')),
    );
  });

  const session = useNpmSession({
    label: 'deep',
    user: 'publisher',
    server: { storage: directoryStorage(storageDir) },
  });

  afterAll(async () => {
    await rm(storageDir, { recursive: true, force: true });
  });

  it('refuses npm publish of a manifest 100 levels deep with a 400 npm shows', async () => {
    // Prepare
    const manifest = { name: 'deep-publish', version: '1.0.0', license: 'UNLICENSED', config: nested(100) };
    const dir = await writePackage(session.work, {
      name: 'deep-publish',
      version: '1.0.0',
      files: { 'package.json': JSON.stringify(manifest) },
    });
    const before = await snapshotStorage(session.server.storage);

    // Act
    const result = await session.client.npm(['publish'], { cwd: dir });

    // Assess
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/400 Bad Request/);
    expect(result.stderr).toMatch(TOO_DEEP);
    expect(await snapshotStorage(session.server.storage)).toEqual(before);
    expect((await request(session.server, '/deep-publish')).status).toBe(404);
  });

  it('refuses a raw publish body 10,000 levels deep with a 400', async () => {
    // Prepare: written as text, since JSON.stringify itself cannot go that deep.
    const depth = 10_000;
    const deep = `${'{"level":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;
    const shallow = await publishBody('deep-raw', '1.0.0', { manifest: { config: 'DEEP' } });
    const body = JSON.stringify(shallow).replace('"DEEP"', deep);
    const before = await snapshotStorage(session.server.storage);

    // Act
    const result = await request(session.server, packagePath('deep-raw'), {
      method: 'PUT',
      token: session.token,
      body,
    });

    // Assess
    expectJsonError(result, 400);
    expect((result.json as { error: string }).error).toMatch(TOO_DEEP);
    expect(await snapshotStorage(session.server.storage)).toEqual(before);
  });

  it('refuses npm deprecate of a package whose stored manifest is 3,500 levels deep with a 400, not a 500', async () => {
    // Prepare
    const before = await snapshotStorage(session.server.storage);

    // Act
    const result = await session.client.npm(['deprecate', `${STORED_DEEP}@1.0.0`, 'use something else']);

    // Assess
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/400 Bad Request/);
    expect(result.stderr).toMatch(TOO_DEEP);
    expect(await snapshotStorage(session.server.storage)).toEqual(before);
    expect(session.server.output()).not.toMatch(/"status":500/);
  });
});
