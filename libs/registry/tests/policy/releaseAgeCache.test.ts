import { afterEach, describe, expect, it } from 'vitest';
import { type ErrorJson, json } from '../support/json.ts';
import { publishBody } from '../support/publishBody.ts';
import { startRegistry, type TestRegistry } from '../support/startRegistry.ts';
import { WRITER_TOKEN } from '../support/testAuth.ts';
import { startUpstreamFixture, type UpstreamFixture } from '../upstream/support/upstreamFixture.ts';

const HOUR = 3_600_000;
const ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
let upstream: UpstreamFixture | undefined;
let registry: TestRegistry | undefined;

afterEach(async () => {
  await registry?.close();
  await upstream?.stop();
});

/** The versions served now in the abbreviated form, and its dist-tags. */
async function served(path: string): Promise<{ versions: string[]; tags: Record<string, string> }> {
  const document = await json(
    await (registry as TestRegistry).request(path, { headers: { accept: ABBREVIATED } }),
  );
  return { versions: Object.keys(document.versions).sort(), tags: document['dist-tags'] };
}

describe('a minimum release age over cached bodies', () => {
  it('serves a proxied version once it comes of age, though its body was cached while it was young', async () => {
    // Prepare: the upstream releases both versions now; the registry's clock says an hour later.
    upstream = await startUpstreamFixture();
    await upstream.publish('left-pad', '1.0.0');
    await upstream.publish('left-pad', '1.1.0');
    let clock = Date.now() + HOUR;
    registry = await startRegistry({
      upstream: { url: upstream.url },
      releaseAge: { minAgeMs: 2 * HOUR, overrides: [], allow: [] },
      now: () => new Date(clock),
    });

    // Act
    const young = await served('/left-pad');
    const youngTarball = await registry.request('/left-pad/-/left-pad-1.1.0.tgz');
    const youngTags = await json<Record<string, string>>(
      await registry.request('/-/package/left-pad/dist-tags'),
    );
    const youngVersion = await registry.request('/left-pad/1.1.0');
    clock += 2 * HOUR;
    const grown = await served('/left-pad');
    const grownTarball = await registry.request('/left-pad/-/left-pad-1.1.0.tgz');

    // Assess
    expect(young).toEqual({ versions: [], tags: {} });
    expect(youngTarball.status).toBe(404);
    expect(youngTags).toEqual({});
    expect(youngVersion.status).toBe(404);
    expect((await json<ErrorJson>(youngVersion)).error).toMatch(/left-pad@1\.1\.0 is held back/);
    expect((await json<ErrorJson>(youngTarball)).error).toMatch(
      /minimum release age of 2h .*becomes available at/,
    );
    expect(grown).toEqual({ versions: ['1.0.0', '1.1.0'], tags: { latest: '1.1.0' } });
    expect(grownTarball.status).toBe(200);
  });

  it('holds back a local package only with an override, in bodies cached per repository entry alike', async () => {
    // Prepare
    let clock = Date.parse('2026-12-07T12:00:00.000Z');
    registry = await startRegistry({
      releaseAge: {
        minAgeMs: 7 * 24 * HOUR,
        overrides: [{ pattern: '@myorg/held', minAgeMs: HOUR }],
        allow: [],
      },
      now: () => new Date(clock),
    });
    for (const name of ['@myorg/held', '@myorg/free']) {
      const body = publishBody(name, '1.0.0');
      const answer = await registry.request(`/${name.replace('/', '%2f')}`, {
        method: 'PUT',
        token: WRITER_TOKEN,
        json: body,
      });
      expect(answer.status).toBe(201);
    }

    // Act
    const held = await served('/@myorg%2fheld');
    const free = await served('/@myorg%2ffree');
    clock += HOUR;
    const released = await served('/@myorg%2fheld');

    // Assess
    expect(held.versions).toEqual([]);
    expect(free.versions).toEqual(['1.0.0']);
    expect(released).toEqual({ versions: ['1.0.0'], tags: { latest: '1.0.0' } });
  });
});
