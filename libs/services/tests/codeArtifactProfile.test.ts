import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveTarget } from '../src/publish/index.ts';
import { listen, sendJson } from './helpers/listen.ts';
import { tempDir } from './helpers/tempDir.ts';

describe('resolveTarget for CodeArtifact with a named profile', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("signs with the profile's keys and leaves AWS_PROFILE alone", async () => {
    // Prepare: a shared credentials file with two profiles, and a loopback API that records the key ids.
    const dir = await tempDir();
    const credentials = join(dir, 'credentials');
    await writeFile(
      credentials,
      [
        '[default]',
        'aws_access_key_id = AKIADEFAULT',
        'aws_secret_access_key = default-secret',
        '[release]',
        'aws_access_key_id = AKIARELEASE',
        'aws_secret_access_key = release-secret',
        '',
      ].join('\n'),
    );
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    for (const key of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
      vi.stubEnv(key, undefined);
    }
    const keyIds: string[] = [];
    const api = await listen((request, response) => {
      keyIds.push(/Credential=(\w+)\//.exec(request.headers.authorization ?? '')?.[1] ?? 'unsigned');
      if (request.url?.startsWith('/v1/authorization-token')) {
        return sendJson(response, 200, { authorizationToken: 'ca-token', expiration: 1 });
      }
      sendJson(response, 200, { repositoryEndpoint: `${api.origin}/npm/npm-private/` });
    });

    try {
      // Act
      const resolved = await resolveTarget({
        kind: 'codeartifact',
        domain: 'myorg',
        domainOwner: '111122223333',
        repository: 'npm-private',
        region: 'us-east-1',
        endpoint: api.origin,
        profile: 'release',
      });

      // Assess
      expect(resolved.token).toBe('ca-token');
      expect(keyIds).toEqual(['AKIARELEASE', 'AKIARELEASE']);
      expect(process.env.AWS_PROFILE).toBeUndefined();
    } finally {
      await api.close();
    }
  });
});
