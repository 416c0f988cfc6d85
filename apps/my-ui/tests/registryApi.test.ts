import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryApi, RegistryRequestError } from '../src/registryApi.ts';
import { type RegistryStandIn, startRegistryStandIn } from './support/registryStandIn.ts';

describe('RegistryApi', () => {
  let registry: RegistryStandIn;
  let api: RegistryApi;

  beforeAll(async () => {
    registry = await startRegistryStandIn();
    api = new RegistryApi(registry.url);
  });

  afterAll(() => registry.close());

  it('searches with npm’s search API, a page at a time', async () => {
    // Act
    const all = await api.search('');
    const page = await api.search('demo', { from: 1, size: 1 });

    // Assess
    expect(all.total).toBe(3);
    expect(all.hits.map((hit) => hit.name)).toEqual(['@demo/widgets', '@demo/gadgets', 'left-pad']);
    expect(page).toEqual({
      total: 2,
      hits: [expect.objectContaining({ name: '@demo/gadgets', version: '0.3.0' })],
    });
    expect(registry.requests).toContain('/-/v1/search?text=demo&from=1&size=1');
  });

  it('fetches a scoped packument with the scope’s slash encoded', async () => {
    const packument = await api.packument('@demo/widgets');

    expect(packument?.['dist-tags'].latest).toBe('1.1.0');
    expect(registry.requests).toContain('/@demo%2fwidgets');
  });

  it('answers undefined for a package the registry does not have', async () => {
    expect(await api.packument('no-such-package')).toBeUndefined();
  });

  it('reports an error status with the status', async () => {
    const failing = new RegistryApi(`${registry.url}-/fail/`);

    const error = await failing.search('x').catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(RegistryRequestError);
    expect(error).toMatchObject({
      status: 500,
      message: 'the registry answered 500 for /-/fail/-/v1/search',
    });
  });

  it('reports a registry that cannot be reached, naming it', async () => {
    // Prepare: a port that was free a moment ago and has no listener now.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const unreachable = new RegistryApi(`http://127.0.0.1:${port}/`);

    // Act
    const error = await unreachable.packument('left-pad').catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(RegistryRequestError);
    expect((error as Error).message).toBe(`could not reach the registry at http://127.0.0.1:${port}/`);
  });
});
