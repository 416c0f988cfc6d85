import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore } from '@myorg/database';
import { noopLogger } from '@myorg/logger';
import { createNodeListener } from '@myorg/middleware';
import { RegistryClient } from '@myorg/services';
import { FileSystemStorage } from '@myorg/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStoredEntry } from '../src/catalogueEntry.ts';
import { createCatalogueHandler } from '../src/createCatalogueHandler.ts';
import { type RegistryStandIn, startRegistryStandIn } from './registryStandIn.ts';

const loggerPackument = {
  name: '@myorg/logger',
  modified: '2030-03-01T10:00:00.000Z',
  'dist-tags': { latest: '1.1.0', next: '2.0.0-rc.1' },
  versions: Object.fromEntries(
    ['1.0.0', '1.1.0', '2.0.0-rc.1'].map((version) => [
      version,
      { name: '@myorg/logger', version, dist: { tarball: `logger-${version}.tgz`, shasum: '0'.repeat(40) } },
    ]),
  ),
};

describe('catalogue API over HTTP', () => {
  let dataDir: string;
  let registry: RegistryStandIn;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'my-api-core-'));
    registry = await startRegistryStandIn({ '@myorg/logger': loggerPackument }, ['@myorg/flaky']);
    const entries = new DocumentStore(new FileSystemStorage(dataDir), {
      prefix: 'entries/',
      validate: parseStoredEntry,
    });
    const client = new RegistryClient({ registry: registry.url, retries: 0 });
    server = createServer(
      createNodeListener(createCatalogueHandler({ entries, registry: client }), { logger: noopLogger }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await registry.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const put = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/entries/${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

  it('creates an entry, stores it as a file and serves it with its ETag', async () => {
    // Act
    const created = await put('@myorg/logger', {
      owner: 'platform',
      description: 'JSON logs',
      tags: ['logging'],
    });
    const read = await get('/entries/@myorg%2flogger');

    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/entries/@myorg%2flogger');
    const etag = created.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(etag);
    const expected = {
      name: '@myorg/logger',
      owner: 'platform',
      description: 'JSON logs',
      tags: ['logging'],
    };
    expect(await read.json()).toEqual(expected);
    expect(JSON.parse(await readFile(join(dataDir, 'entries/@myorg/logger.json'), 'utf8'))).toEqual(expected);
  });

  it('answers 304 when the client already has the current version', async () => {
    // Prepare
    const created = await put('cached-pkg', { owner: 'web' });
    const etag = created.headers.get('etag')!;

    // Act
    const notModified = await get('/entries/cached-pkg', { 'if-none-match': etag });

    // Assess
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(etag);
  });

  it('refuses to create an entry twice', async () => {
    await put('twice', { owner: 'web' });

    const again = await put('twice', { owner: 'someone-else' });

    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/send If-Match/);
  });

  it('replaces an entry only with the current ETag and answers 412 for a stale one', async () => {
    // Prepare
    const original = (await put('contested', { owner: 'web' })).headers.get('etag')!;

    // Act
    const first = await put('contested', { owner: 'web', tags: ['ui'] }, { 'if-match': original });
    const stale = await put('contested', { owner: 'data' }, { 'if-match': original });

    // Assess
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(original);
    expect(stale.status).toBe(412);
    expect(await (await get('/entries/contested')).json()).toMatchObject({ owner: 'web', tags: ['ui'] });
  });

  it('lets exactly one of two concurrent writers with the same ETag win', async () => {
    // Prepare
    const etag = (await put('race', { owner: 'nobody' })).headers.get('etag')!;

    // Act
    const results = await Promise.all(
      ['team-a', 'team-b', 'team-c'].map((owner) => put('race', { owner }, { 'if-match': etag })),
    );

    // Assess
    const statuses = results.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 412, 412]);
    const winner = results.find((response) => response.status === 200)!;
    const stored = await get('/entries/race');
    expect(await stored.json()).toEqual(await winner.json());
  });

  it('deletes only with If-Match: 428 without it, 412 when stale, 204 when current', async () => {
    // Prepare
    const original = (await put('short-lived', { owner: 'web' })).headers.get('etag')!;
    const current = (
      await put('short-lived', { owner: 'web', tags: ['x'] }, { 'if-match': original })
    ).headers.get('etag')!;
    const remove = (headers: Record<string, string>) =>
      fetch(`${base}/entries/short-lived`, { method: 'DELETE', headers });

    // Act
    const withoutCondition = await remove({});
    const stale = await remove({ 'if-match': original });
    const deleted = await remove({ 'if-match': current });

    // Assess
    expect(withoutCondition.status).toBe(428);
    expect(stale.status).toBe(412);
    expect(deleted.status).toBe(204);
    expect((await get('/entries/short-lived')).status).toBe(404);
  });

  it('lists the catalogue', async () => {
    await put('listed-a', { owner: 'web' });
    await put('listed-b', { owner: 'data' });

    const response = await get('/entries');

    expect(response.status).toBe(200);
    const { entries } = (await response.json()) as { entries: { name: string; owner: string }[] };
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'listed-a', owner: 'web' }),
        expect.objectContaining({ name: 'listed-b', owner: 'data' }),
      ]),
    );
  });

  it('looks a catalogued package up in the npm registry', async () => {
    // Prepare
    await put('@myorg/logger', { owner: 'platform' });

    // Act
    const response = await get('/entries/@myorg%2flogger/registry');

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      name: '@myorg/logger',
      latest: '1.1.0',
      distTags: { latest: '1.1.0', next: '2.0.0-rc.1' },
      versions: ['1.0.0', '1.1.0', '2.0.0-rc.1'],
      modified: '2030-03-01T10:00:00.000Z',
    });
    const lookup = registry.requests.find((request) => request.path === '/@myorg%2flogger');
    expect(lookup?.headers.accept).toContain('application/vnd.npm.install-v1+json');
  });

  it('answers 404 for a package the registry does not have and 502 when the registry fails', async () => {
    await put('unpublished', { owner: 'web' });
    await put('@myorg/flaky', { owner: 'web' });

    const missing = await get('/entries/unpublished/registry');
    const failing = await get('/entries/@myorg%2fflaky/registry');

    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: 'unpublished is not published in the registry',
      code: 'E404',
    });
    expect(failing.status).toBe(502);
    expect(((await failing.json()) as { code: string }).code).toBe('E502');
  });

  it('answers 404 for entries and paths that do not exist', async () => {
    const responses = await Promise.all(
      ['/entries/never-added', '/entries/never-added/registry', '/packages', '/entries/a/b/c'].map((path) =>
        get(path),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual([404, 404, 404, 404]);
  });

  it('answers 400 for an invalid name or entry and 415 for a body that is not JSON', async () => {
    const badName = await put('Bad Name', { owner: 'web' });
    const badEntry = await put('good-name', { owner: '', tags: 'logging' });
    const notJson = await fetch(`${base}/entries/good-name`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'owner=web',
    });

    expect(badName.status).toBe(400);
    expect(badEntry.status).toBe(400);
    expect(((await badEntry.json()) as { issues: string[] }).issues).toHaveLength(2);
    expect(notJson.status).toBe(415);
  });

  it('answers 405 with the allowed methods', async () => {
    const onCollection = await fetch(`${base}/entries`, { method: 'POST' });
    const onEntry = await fetch(`${base}/entries/x`, { method: 'PATCH' });
    const onRegistry = await fetch(`${base}/entries/x/registry`, { method: 'DELETE' });

    expect(onCollection.status).toBe(405);
    expect(onCollection.headers.get('allow')).toBe('GET');
    expect(onEntry.headers.get('allow')).toBe('GET, PUT, DELETE');
    expect(onRegistry.headers.get('allow')).toBe('GET');
  });
});
