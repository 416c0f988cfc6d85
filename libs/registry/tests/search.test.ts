import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Packument } from '../src/packument/types.ts';
import { BlockList } from '../src/policy/BlockList.ts';
import { SearchIndex } from '../src/search/SearchIndex.ts';
import { json } from './support/json.ts';
import { publishBody } from './support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';

let registry: TestRegistry;

beforeEach(async () => {
  registry = await startRegistry({ now: () => new Date('2024-05-01T10:00:00.000Z') });
  await publish(
    registry,
    publishBody('@acme/logger', '1.2.0', {
      manifest: {
        description: 'Structured logs',
        keywords: ['logging', 'json'],
        homepage: 'https://acme.test/logger',
        repository: { type: 'git', url: 'git+https://git.acme.test/logger.git' },
      },
    }),
  );
  await publish(registry, publishBody('log-shipper', '0.1.0', { manifest: { description: 'Ships files' } }));
  await publish(
    registry,
    publishBody('colors', '3.0.0', { manifest: { description: 'Terminal colours for logger output' } }),
  );
});

afterEach(async () => {
  await registry.close();
});

interface Hit {
  package: { name: string };
  score: { final: number };
}

async function search(query: string): Promise<{ total: number; time: string; objects: Hit[] }> {
  const response = await registry.request(`/-/v1/search?${query}`);
  expect(response.status).toBe(200);
  return json(response);
}

describe('search', () => {
  it("answers in npm's shape", async () => {
    // Act
    const result = await search('text=logger&size=20&from=0&quality=0.65&popularity=0.98&maintenance=0.5');

    // Assess
    expect(result.total).toBe(2);
    expect(typeof result.time).toBe('string');
    expect(result.objects[0]).toEqual({
      package: {
        name: '@acme/logger',
        version: '1.2.0',
        description: 'Structured logs',
        keywords: ['logging', 'json'],
        date: '2024-05-01T10:00:00.000Z',
        links: {
          npm: `${registry.url}/@acme/logger`,
          homepage: 'https://acme.test/logger',
          repository: 'git+https://git.acme.test/logger.git',
        },
        publisher: { username: 'alice' },
        maintainers: [{ username: 'alice' }],
      },
      score: { final: 1, detail: { quality: 1, popularity: 1, maintenance: 1 } },
      searchScore: expect.any(Number),
    });
    expect(result.objects[1]!.package.name).toBe('colors');
    expect(result.objects[1]!.score.final).toBeLessThan(1);
  });

  it('matches names, keywords and descriptions, all words required', async () => {
    expect((await search('text=json')).objects.map((hit) => hit.package.name)).toEqual(['@acme/logger']);
    expect((await search('text=ships')).objects.map((hit) => hit.package.name)).toEqual(['log-shipper']);
    expect((await search('text=log%20files')).objects.map((hit) => hit.package.name)).toEqual([
      'log-shipper',
    ]);
    expect((await search('text=nothing-like-this')).total).toBe(0);
  });

  it('understands keywords:, scope: and maintainer: qualifiers', async () => {
    expect((await search('text=keywords:logging')).objects.map((hit) => hit.package.name)).toEqual([
      '@acme/logger',
    ]);
    expect((await search('text=scope:acme')).objects.map((hit) => hit.package.name)).toEqual([
      '@acme/logger',
    ]);
    expect((await search('text=maintainer:alice')).total).toBe(3);
    expect((await search('text=maintainer:bob')).total).toBe(0);
  });

  it('pages with size and from', async () => {
    // Act
    const all = await search('text=');
    const page = await search('text=&size=1&from=1');

    // Assess
    expect(all.total).toBe(3);
    expect(page.total).toBe(3);
    expect(page.objects.map((hit) => hit.package.name)).toEqual([all.objects[1]!.package.name]);
  });

  it('sees packages published after the index was built, and forgets unpublished ones', async () => {
    // Prepare
    await search('text=logger');

    // Act
    await publish(registry, publishBody('logger-extra', '1.0.0'));
    const { _rev } = await json(await registry.request('/colors'));
    await registry.request(`/colors/-rev/${_rev}`, { method: 'DELETE', token: 'writer-token' });
    const result = await search('text=logger');

    // Assess
    expect(result.objects.map((hit) => hit.package.name)).toEqual(['@acme/logger', 'logger-extra']);
  });

  it('refuses size and from that are not whole numbers', async () => {
    expect((await registry.request('/-/v1/search?text=a&size=ten')).status).toBe(400);
    expect((await registry.request('/-/v1/search?text=a&from=-1')).status).toBe(400);
  });
});

describe('search under the supply-chain policy', () => {
  it('shows the version latest is served as, and no package whose every version is withheld', async () => {
    // Prepare
    await publish(
      registry,
      publishBody('@acme/logger', '1.3.0', { manifest: { description: 'Structured logs, leaking secrets' } }),
    );
    const blocks = new BlockList(registry.storage);
    await blocks.add({ name: '@acme/logger', range: '1.3.0', reason: 'CVE-2026-0002' });
    await blocks.add({ name: 'log-shipper', range: '*', reason: 'Malware' });

    // Act
    const result = await search('text=log');
    const byLeak = await search('text=leaking');

    // Assess
    expect(result.total).toBe(2);
    expect(result.objects.map(({ package: found }) => found)).toEqual([
      expect.objectContaining({ name: '@acme/logger', version: '1.2.0', description: 'Structured logs' }),
      expect.objectContaining({ name: 'colors', version: '3.0.0' }),
    ]);
    expect(byLeak.total).toBe(0);
  });
});

describe('SearchIndex.warm', () => {
  const stored: Packument = {
    _id: 'warmed',
    _rev: '1-0',
    name: 'warmed',
    'dist-tags': { latest: '1.0.0' },
    versions: {
      '1.0.0': {
        name: 'warmed',
        version: '1.0.0',
        description: 'Built before the first search',
        dist: { tarball: '', shasum: '0', integrity: 'sha512-0' },
      },
    },
    time: {
      created: '2024-05-01T10:00:00.000Z',
      modified: '2024-05-01T10:00:00.000Z',
      '1.0.0': '2024-05-01T10:00:00.000Z',
    },
  };

  it('builds the index before the first search, and leaves a failed build to the search', async () => {
    // Prepare: the first load fails as it starts (before any await), the second answers.
    let reads = 0;
    const index = new SearchIndex(() => {
      reads += 1;
      if (reads === 1) throw new Error('storage unreachable');
      return (async function* () {
        yield stored;
      })();
    });

    // Act
    await index.warm();
    await index.warm();
    const found = await index.search(
      { text: 'warmed', size: 20, from: 0 },
      'http://registry.test',
      () => true,
    );

    // Assess: the failed warm-up was not kept; the second built the index the search then used.
    expect(reads).toBe(2);
    expect(found.objects.map((hit) => hit.package.name)).toEqual(['warmed']);
  });
});
