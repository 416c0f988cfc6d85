import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha512Integrity, writePackage } from './support/fixtures.ts';
import { packagePath, request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';

/** Random bytes do not compress, so the tarball (and its base64 in the publish body) stays this large. */
const payloadBytes = 20 * 1024 * 1024;

describe('a 20 MB tarball', { timeout: 180_000 }, () => {
  const session = useNpmSession({ label: 'large', user: 'heavy' });
  const payload = randomBytes(payloadBytes);

  it('publishes with npm publish, serves the tarball whole, and installs with npm install', async () => {
    // Prepare
    const dir = await writePackage(session.work, {
      name: '@e2e/heavy',
      version: '1.0.0',
      files: { 'payload.bin': payload },
    });
    const project = join(session.work, 'consumer');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));

    // Act
    const published = await session.client.npm(['publish'], { cwd: dir });
    const packument = await request(session.server, packagePath('@e2e/heavy'));
    const dist = (
      packument.json as { versions: Record<string, { dist: { tarball: string; integrity: string } }> }
    ).versions['1.0.0']?.dist;
    const tarball = await request(session.server, new URL(dist?.tarball ?? session.server.url).pathname);
    const installed = await session.client.npm(['install', '@e2e/heavy'], { cwd: project });

    // Assess
    expect(published.code, published.stderr).toBe(0);
    expect(tarball.status).toBe(200);
    expect(tarball.body.length).toBeGreaterThan(payloadBytes);
    expect(sha512Integrity(tarball.body)).toBe(dist?.integrity);
    expect(installed.code, installed.stderr).toBe(0);
    const copy = await readFile(join(project, 'node_modules', '@e2e', 'heavy', 'payload.bin'));
    expect(copy.equals(payload)).toBe(true);
  });
});
