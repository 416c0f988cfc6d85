import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ErrorJson, json } from './support/json.ts';
import { publishBody } from './support/publishBody.ts';
import { publish, startRegistry, type TestRegistry } from './support/startRegistry.ts';
import { READER_TOKEN, WRITER_TOKEN } from './support/testAuth.ts';

let registry: TestRegistry;

beforeEach(async () => {
  registry = await startRegistry();
  for (const version of ['1.0.0', '1.1.0', '2.0.0'])
    await publish(registry, publishBody('@scope/demo', version));
  await registry.request('/-/package/@scope%2fdemo/dist-tags/stable', {
    method: 'PUT',
    token: WRITER_TOKEN,
    json: '1.1.0',
  });
});

afterEach(async () => {
  await registry.close();
});

interface Document {
  _rev: string;
  name: string;
  'dist-tags': Record<string, string>;
  time: Record<string, string>;
  versions: Record<string, { deprecated?: unknown; dependencies?: unknown; dist: { shasum: string } }>;
}

/** The packument as `npm` reads it before a change (`GET /:pkg?write=true`). */
async function read(): Promise<Document> {
  return json(await registry.request('/@scope%2fdemo?write=true'));
}

function put(path: string, body: unknown, token: string | undefined = WRITER_TOKEN): Promise<Response> {
  return registry.request(path, { method: 'PUT', token, json: body });
}

describe('deprecate', () => {
  it('deprecates and undeprecates through PUT /:pkg as npm deprecate sends it', async () => {
    // Prepare
    const document = await read();
    document.versions['1.0.0']!.deprecated = 'use 2.x';

    // Act
    const deprecated = await put('/@scope%2fdemo', document);
    const afterDeprecate = await read();
    const undeprecate = structuredClone(afterDeprecate);
    undeprecate.versions['1.0.0']!.deprecated = '';
    const undeprecated = await put('/@scope%2fdemo', undeprecate);
    const afterUndeprecate = await read();

    // Assess
    expect(deprecated.status).toBe(200);
    expect(afterDeprecate.versions['1.0.0']!.deprecated).toBe('use 2.x');
    expect(afterDeprecate._rev).not.toBe(document._rev);
    expect(undeprecated.status).toBe(200);
    expect(afterUndeprecate.versions['1.0.0']).not.toHaveProperty('deprecated');
  });

  it('shows the deprecation in the abbreviated form', async () => {
    // Prepare
    const document = await read();
    document.versions['2.0.0']!.deprecated = 'broken';
    await put(`/@scope%2fdemo/-rev/${document._rev}`, document);

    // Act
    const abbreviated = await json(
      await registry.request('/@scope/demo', { headers: { accept: 'application/vnd.npm.install-v1+json' } }),
    );

    // Assess
    expect(abbreviated.versions['2.0.0']!.deprecated).toBe('broken');
  });

  it('writes nothing when nothing changed', async () => {
    // Prepare
    const document = await read();
    const before = await registry.snapshot();

    // Act
    const response = await put('/@scope%2fdemo', document);

    // Assess
    expect(response.status).toBe(200);
    expect(await registry.snapshot()).toEqual(before);
  });

  it('refuses any other edit of a version, and leaves storage as it was', async () => {
    const edits: ((d: Document) => void)[] = [
      (d) => Object.assign(d.versions['1.0.0']!, { dependencies: { evil: '*' } }),
      (d) => Object.assign(d.versions['1.0.0']!.dist, { shasum: '0'.repeat(40) }),
      (d) => Object.assign(d.versions['1.0.0']!, { deprecated: 42 }),
      (d) => Object.assign(d.versions, { '1.0.0': 'gone' }),
      (d) => Object.assign(d.versions, { '9.9.9': d.versions['1.0.0'] }),
      (d) => Object.assign(d, { name: '@scope/other' }),
      (d) => Object.assign(d, { versions: 'none' }),
    ];
    for (const edit of edits) {
      // Prepare
      const document = await read();
      edit(document);
      const before = await registry.snapshot();

      // Act
      const response = await put('/@scope%2fdemo', document);

      // Assess
      expect(response.status).toBe(400);
      expect(await registry.snapshot()).toEqual(before);
    }
  });

  it('leaves versions missing from a body without a revision alone, as a publish may have landed since', async () => {
    // Prepare
    const document = await read();
    await publish(registry, publishBody('@scope/demo', '3.0.0'));
    document.versions['1.0.0']!.deprecated = 'old';

    // Act
    const response = await put('/@scope%2fdemo', document);
    const after = await read();

    // Assess
    expect(response.status).toBe(200);
    expect(Object.keys(after.versions)).toEqual(['1.0.0', '1.1.0', '2.0.0', '3.0.0']);
    expect(after.versions['1.0.0']!.deprecated).toBe('old');
  });

  it('answers 404 for a package that does not exist', async () => {
    expect((await put('/nothing', { name: 'nothing', versions: {} })).status).toBe(404);
  });
});

describe('unpublish a version', () => {
  it('follows npm unpublish pkg@version: PUT -rev without the version, then DELETE the tarball', async () => {
    // Prepare
    const document = await read();
    delete document.versions['2.0.0'];

    // Act
    const changed = await put(`/@scope%2fdemo/-rev/${document._rev}`, document);
    const { _rev } = await read();
    const removed = await registry.request(`/@scope/demo/-/demo-2.0.0.tgz/-rev/${_rev}`, {
      method: 'DELETE',
      token: WRITER_TOKEN,
    });
    const after = await read();

    // Assess
    expect(changed.status).toBe(200);
    expect(removed.status).toBe(200);
    expect(Object.keys(after.versions)).toEqual(['1.0.0', '1.1.0']);
    expect(after['dist-tags']).toEqual({ latest: '1.1.0', stable: '1.1.0' });
    expect(after.time).toHaveProperty('2.0.0');
    expect((await registry.request('/@scope/demo/-/demo-2.0.0.tgz')).status).toBe(404);
    expect([...(await registry.snapshot()).keys()].filter((key) => key.includes('/2.0.0/'))).toEqual([]);
  });

  it('never takes an unpublished version back', async () => {
    // Prepare
    const document = await read();
    delete document.versions['2.0.0'];
    await put(`/@scope%2fdemo/-rev/${document._rev}`, document);

    // Act
    const republished = await publish(registry, publishBody('@scope/demo', '2.0.0'));

    // Assess
    expect(republished.status).toBe(409);
    expect((await json<ErrorJson>(republished)).error).toBe(
      'cannot publish over the previously published versions: 2.0.0',
    );
  });

  it('refuses a stale revision with 409', async () => {
    // Prepare
    const document = await read();
    await publish(registry, publishBody('@scope/demo', '2.1.0'));
    delete document.versions['2.0.0'];

    // Act
    const response = await put(`/@scope%2fdemo/-rev/${document._rev}`, document);

    // Assess
    expect(response.status).toBe(409);
    expect((await json<ErrorJson>(response)).error).toMatch(/is out of date/);
    expect((await read()).versions).toHaveProperty('2.0.0');
  });

  it('refuses removing the last version this way', async () => {
    // Prepare
    const document = await read();
    document.versions = {};

    // Act
    const response = await put(`/@scope%2fdemo/-rev/${document._rev}`, document);

    // Assess
    expect(response.status).toBe(400);
  });

  it('keeps the tarball of a live version and refuses unknown or stale tarball deletes', async () => {
    // Prepare
    const { _rev } = await read();

    // Act
    const live = await registry.request(`/@scope/demo/-/demo-1.0.0.tgz/-rev/${_rev}`, {
      method: 'DELETE',
      token: WRITER_TOKEN,
    });
    const unknown = await registry.request(`/@scope/demo/-/demo-7.0.0.tgz/-rev/${_rev}`, {
      method: 'DELETE',
      token: WRITER_TOKEN,
    });
    const stale = await registry.request('/@scope/demo/-/demo-1.0.0.tgz/-rev/1-old', {
      method: 'DELETE',
      token: WRITER_TOKEN,
    });
    const missingPackage = await registry.request('/nothing/-/nothing-1.0.0.tgz/-rev/1-x', {
      method: 'DELETE',
      token: WRITER_TOKEN,
    });

    // Assess
    expect(live.status).toBe(400);
    expect(unknown.status).toBe(404);
    expect(stale.status).toBe(409);
    expect(missingPackage.status).toBe(404);
    expect((await registry.request('/@scope/demo/-/demo-1.0.0.tgz')).status).toBe(200);
  });
});

describe('unpublish a package', () => {
  it('removes every version and answers 404 afterwards, keeping the history', async () => {
    // Prepare
    const { _rev } = await read();

    // Act
    const response = await registry.request(`/@scope%2fdemo/-rev/${_rev}`, {
      method: 'DELETE',
      token: WRITER_TOKEN,
    });
    const stored = JSON.parse((await registry.storage.get('packuments/@scope/demo.json'))!.body.toString());

    // Assess
    expect(response.status).toBe(200);
    expect((await registry.request('/@scope/demo')).status).toBe(404);
    expect([...(await registry.snapshot()).keys()].filter((key) => key.startsWith('tarballs/'))).toEqual([]);
    expect(stored.versions).toEqual({});
    expect(Object.keys(stored.time)).toEqual(expect.arrayContaining(['1.0.0', '1.1.0', '2.0.0']));
  });

  it('lets the name be used again with new versions only', async () => {
    // Prepare
    const { _rev } = await read();
    await registry.request(`/@scope%2fdemo/-rev/${_rev}`, { method: 'DELETE', token: WRITER_TOKEN });

    // Act
    const old = await publish(registry, publishBody('@scope/demo', '1.0.0'));
    const fresh = await publish(registry, publishBody('@scope/demo', '3.0.0'));

    // Assess
    expect(old.status).toBe(409);
    expect(fresh.status).toBe(201);
    expect((await read())['dist-tags']).toEqual({ latest: '3.0.0' });
  });

  it('refuses a stale revision, anonymous callers and read-only tokens', async () => {
    // Prepare
    const before = await registry.snapshot();
    const { _rev } = await read();

    // Act
    const stale = await registry.request('/@scope%2fdemo/-rev/1-old', {
      method: 'DELETE',
      token: WRITER_TOKEN,
    });
    const anonymous = await registry.request(`/@scope%2fdemo/-rev/${_rev}`, { method: 'DELETE' });
    const readOnly = await registry.request(`/@scope%2fdemo/-rev/${_rev}`, {
      method: 'DELETE',
      token: READER_TOKEN,
    });
    const unknown = await registry.request('/nothing/-rev/1-x', { method: 'DELETE', token: WRITER_TOKEN });

    // Assess
    expect([stale.status, anonymous.status, readOnly.status, unknown.status]).toEqual([409, 401, 403, 404]);
    expect(await registry.snapshot()).toEqual(before);
  });
});
