import { describe, expect, it } from 'vitest';
import { createRouter } from '../src/http/createRouter.ts';
import type { Route } from '../src/http/types.ts';

const handler: Route['handler'] = async () => ({ status: 200, headers: {} });
const route = (method: Route['method'], path: string): Route => ({ method, path, handler });

const routes = [
  route('GET', '/-/ping'),
  route('GET', '/-/package/:pkg/dist-tags'),
  route('PUT', '/-/package/:pkg/dist-tags/:tag'),
  route('GET', '/:pkg'),
  route('PUT', '/:pkg'),
  route('GET', '/:pkg/:version'),
  route('GET', '/:pkg/-/:file'),
  route('DELETE', '/:pkg/-/:file/-rev/:rev'),
  route('GET', '/-/npm/v1/attestations/:pkg@:version'),
];
const router = createRouter(routes);

describe('createRouter', () => {
  it('matches literal paths before package names', () => {
    // Act
    const match = router.match('GET', '/-/ping');

    // Assess
    expect(match.route.path).toBe('/-/ping');
    expect(match.params).toEqual({});
  });

  it('reads a package name in every form npm and proxies send', () => {
    for (const path of ['/@scope/name', '/@scope%2fname', '/@scope%2Fname', '/%40scope%2fname']) {
      const match = router.match('GET', path);
      expect(match.route.path).toBe('/:pkg');
      expect(match.params.pkg).toBe('@scope/name');
    }
    expect(router.match('GET', '/lodash').params.pkg).toBe('lodash');
  });

  it('tells a scoped package from an unscoped package and a version', () => {
    expect(router.match('GET', '/@scope/name/1.0.0').params).toEqual({
      pkg: '@scope/name',
      version: '1.0.0',
    });
    expect(router.match('GET', '/name/1.0.0').params).toEqual({ pkg: 'name', version: '1.0.0' });
    expect(router.match('GET', '/@scope%2fname/beta').params).toEqual({
      pkg: '@scope/name',
      version: 'beta',
    });
  });

  it('reads a package and version joined by @, in every form of the name', () => {
    for (const path of [
      '/-/npm/v1/attestations/@scope%2fname@1.0.0',
      '/-/npm/v1/attestations/@scope/name@1.0.0',
      '/-/npm/v1/attestations/%40scope%2Fname@1.0.0',
    ]) {
      expect(router.match('GET', path).params).toEqual({ pkg: '@scope/name', version: '1.0.0' });
    }
    expect(router.match('GET', '/-/npm/v1/attestations/name@1.0.0-beta.1').params).toEqual({
      pkg: 'name',
      version: '1.0.0-beta.1',
    });
    for (const path of [
      '/-/npm/v1/attestations/name',
      '/-/npm/v1/attestations/name@',
      '/-/npm/v1/attestations/@scope',
    ]) {
      expect(() => router.match('GET', path)).toThrow(/no such endpoint/);
    }
  });

  it('decodes the remaining parameters once', () => {
    // Act
    const match = router.match('DELETE', '/@scope/name/-/name-1.0.0.tgz/-rev/3-abc');
    const tag = router.match('PUT', '/-/package/@scope%2fname/dist-tags/next%2Dgen');

    // Assess
    expect(match.params).toEqual({ pkg: '@scope/name', file: 'name-1.0.0.tgz', rev: '3-abc' });
    expect(tag.params).toEqual({ pkg: '@scope/name', tag: 'next-gen' });
  });

  it('answers HEAD with the GET route', () => {
    expect(router.match('HEAD', '/name').route.method).toBe('GET');
  });

  it('refuses an unknown path with 404', () => {
    for (const path of ['/', '/-/nothing', '/name/1.0.0/extra/more', '/@scope', '/name/']) {
      expect(() => router.match('GET', path)).toThrow(expect.objectContaining({ status: 404 }));
    }
  });

  it('refuses another method on a known path with 405 and Allow', () => {
    // Act
    let thrown: unknown;
    try {
      router.match('DELETE', '/name');
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD, PUT' } });
  });

  it('refuses traversal and malformed names with 400', () => {
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/%2e%2e', '/name%5C..', '/%E0%A4%A', '/Name%00']) {
      expect(() => router.match('GET', path)).toThrow(expect.objectContaining({ status: 400 }));
    }
    for (const path of ['/name/-/..%2fsecret.tgz', '/name/-/%E0%A4%A', '/name/..']) {
      expect(() => router.match('GET', path)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });

  it('answers a path asked again as the first time, for each method apart', () => {
    // Prepare
    const fresh = createRouter(routes);
    const first = fresh.match('GET', '/name/-/name-1.0.0.tgz');

    // Act
    const again = fresh.match('GET', '/name/-/name-1.0.0.tgz');

    // Assess
    expect(again).toEqual(first);
    expect(again.params).toEqual({ pkg: 'name', file: 'name-1.0.0.tgz' });
    expect(fresh.match('PUT', '/name').route.method).toBe('PUT');
    expect(fresh.match('GET', '/name').route.method).toBe('GET');
    expect(() => fresh.match('DELETE', '/name')).toThrow(expect.objectContaining({ status: 405 }));
    expect(() => fresh.match('DELETE', '/name')).toThrow(expect.objectContaining({ status: 405 }));
  });
});
