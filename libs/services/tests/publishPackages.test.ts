import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatOutcome,
  formatSummary,
  type PackageToPublish,
  type PublishTarget,
  publishPackages,
  resolveTarget,
} from '../src/publish/index.ts';
import { type RegistryStandIn, startRegistryStandIn } from './helpers/registryStandIn.ts';
import { tempDir, writePackage } from './helpers/tempDir.ts';

describe('publishPackages to an npm registry', () => {
  let registry: RegistryStandIn;
  let target: Extract<PublishTarget, { kind: 'registry' }>;

  beforeEach(async () => {
    registry = await startRegistryStandIn({ prefix: '/' });
    target = { kind: 'registry', url: registry.url, token: registry.token };
  });

  afterEach(async () => {
    await registry.close();
  });

  async function packages(...specs: [string, string][]): Promise<PackageToPublish[]> {
    const root = await tempDir();
    return Promise.all(
      specs.map(async ([name, version], index) => ({
        name,
        version,
        dir: await writePackage(`${root}/p${index}`, { name, version }),
      })),
    );
  }

  it('publishes new versions, skips existing ones, and logs a line for each', async () => {
    // Prepare
    registry.seed('@myorg/old', '1.0.0');
    const lines: string[] = [];

    // Act
    const summary = await publishPackages(
      await packages(['@myorg/new', '0.2.0'], ['@myorg/old', '1.0.0']),
      target,
      {
        logger: (line) => lines.push(line),
        concurrency: 2,
      },
    );

    // Assess
    expect(summary).toEqual({
      outcomes: [
        { name: '@myorg/new', version: '0.2.0', status: 'published' },
        { name: '@myorg/old', version: '1.0.0', status: 'skipped', reason: 'already in the registry' },
      ],
      published: 1,
      skipped: 1,
      failed: 0,
    });
    expect(registry.versions('@myorg/new')).toEqual(['0.2.0']);
    expect(lines[0]).toBe(`registry ${registry.url}`);
    expect(lines.slice(1).sort()).toEqual([
      'published @myorg/new@0.2.0',
      'skipped @myorg/old@1.0.0 (already in the registry)',
    ]);
  });

  it('publishes with the given dist-tag', async () => {
    await publishPackages(await packages(['@myorg/tagged', '1.0.0-rc.1']), target, { tag: 'next' });

    const put = registry.requests.find((request) => request.method === 'PUT');
    expect(put?.url).toBe('/@myorg%2ftagged');
    expect(registry.versions('@myorg/tagged')).toContain('1.0.0-rc.1');
  });

  it('only reports what it would publish in a dry run', async () => {
    registry.seed('@myorg/old', '1.0.0');

    const summary = await publishPackages(
      await packages(['@myorg/new', '1.0.0'], ['@myorg/old', '1.0.0']),
      target,
      {
        dryRun: true,
      },
    );

    expect(summary.outcomes.map((o) => o.status)).toEqual(['would-publish', 'skipped']);
    expect(formatSummary(summary)).toBe(
      'publish: 0 published, 1 skipped, 0 failed, 1 would publish (dry run)',
    );
    expect(registry.requests.some((request) => request.method === 'PUT')).toBe(false);
  });

  it('counts a version the registry refuses as already there as skipped (E409)', async () => {
    // Prepare: the packument says "absent" but another publisher wins the race.
    registry.failPublish.push({ status: 409, body: { error: 'EPUBLISHCONFLICT' } });

    // Act
    const summary = await publishPackages(await packages(['@myorg/raced', '1.0.0']), target);

    // Assess
    expect(summary.outcomes).toEqual([
      { name: '@myorg/raced', version: '1.0.0', status: 'skipped', reason: 'the registry already had it' },
    ]);
  });

  it("reports other refusals as failures with npm's reason, and keeps going", async () => {
    registry.failPublish.push({ status: 403, body: { error: 'you may not publish @myorg/denied' } });

    const summary = await publishPackages(await packages(['@myorg/denied', '1.0.0']), target);

    expect(summary.failed).toBe(1);
    expect(summary.outcomes[0]?.reason).toMatch(/^npm publish failed: 403 Forbidden .*you may not publish/);
    expect(formatOutcome(summary.outcomes[0]!)).toMatch(
      /^failed @myorg\/denied@1\.0\.0: npm publish failed: 403/,
    );
  });

  it('ignores npm_config_* settings that would send the package elsewhere', async () => {
    const previous = process.env.npm_config_registry;
    process.env.npm_config_registry = 'http://127.0.0.1:9/';
    try {
      const summary = await publishPackages(await packages(['@myorg/env', '1.0.0']), target);

      expect(summary.published).toBe(1);
    } finally {
      if (previous === undefined) delete process.env.npm_config_registry;
      else process.env.npm_config_registry = previous;
    }
  });

  it('fails every package with the reason when the target cannot be resolved', async () => {
    const lines: string[] = [];

    const summary = await publishPackages(
      await packages(['@myorg/a', '1.0.0'], ['@myorg/b', '1.0.0']),
      { kind: 'registry', url: `\${NOPE}` },
      { env: {}, logger: (line) => lines.push(line) },
    );

    expect(summary).toMatchObject({ published: 0, skipped: 0, failed: 2 });
    expect(lines).toEqual([
      'failed @myorg/a@1.0.0: publish target: environment variables not set: NOPE',
      'failed @myorg/b@1.0.0: publish target: environment variables not set: NOPE',
    ]);
  });

  it('lists every package in a dry run whose target cannot be resolved, and fails none', async () => {
    // Prepare: a target that needs what this machine lacks (here a variable; in CI, AWS credentials).
    const lines: string[] = [];

    // Act
    const summary = await publishPackages(
      await packages(['@myorg/a', '1.0.0'], ['@myorg/b', '1.0.0']),
      { kind: 'registry', url: `\${NOPE}` },
      { env: {}, dryRun: true, logger: (line) => lines.push(line) },
    );

    // Assess
    expect(summary).toMatchObject({ published: 0, skipped: 0, failed: 0 });
    expect(lines).toEqual([
      'registry not asked (dry run): publish target: environment variables not set: NOPE',
      'would publish @myorg/a@1.0.0 (registry not asked)',
      'would publish @myorg/b@1.0.0 (registry not asked)',
    ]);
    expect(registry.requests).toEqual([]);
  });

  it('fails a package whose registry check fails', async () => {
    const summary = await publishPackages(await packages(['@myorg/a', '1.0.0']), {
      ...target,
      token: 'wrong',
    });

    expect(summary.outcomes[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/401/) });
  });

  it('publishes each package after the packages of the run it depends on, not by name', async () => {
    // Prepare: app → lib → base, given in name order; "other" depends on nothing here.
    const [app, base, lib, other] = await packages(
      ['@myorg/app', '1.0.0'],
      ['@myorg/base', '1.0.0'],
      ['@myorg/lib', '1.0.0'],
      ['@myorg/other', '1.0.0'],
    );
    const graph = [
      { ...app!, dependencies: ['@myorg/lib', 'left-pad'] },
      { ...base!, dependencies: [] },
      { ...lib!, dependencies: ['@myorg/base'] },
      { ...other!, dependencies: ['left-pad'] },
    ];

    // Act
    const summary = await publishPackages(graph, target, { concurrency: 4 });

    // Assess
    const puts = registry.requests
      .filter((request) => request.method === 'PUT')
      .map((request) => decodeURIComponent(request.url.slice(1)));
    expect(puts.indexOf('@myorg/base')).toBeLessThan(puts.indexOf('@myorg/lib'));
    expect(puts.indexOf('@myorg/lib')).toBeLessThan(puts.indexOf('@myorg/app'));
    expect(summary.outcomes.map((outcome) => outcome.name)).toEqual([
      '@myorg/base',
      '@myorg/other',
      '@myorg/lib',
      '@myorg/app',
    ]);
    expect(summary.published).toBe(4);
  });

  it('fails the dependents of a package that failed, without uploading them', async () => {
    const [app, base] = await packages(['@myorg/app', '1.0.0'], ['@myorg/base', '1.0.0']);
    registry.failPublish.push({ status: 403, body: { error: 'no' } });

    const summary = await publishPackages([{ ...app!, dependencies: ['@myorg/base'] }, base!], target);

    expect(summary.outcomes).toEqual([
      expect.objectContaining({ name: '@myorg/base', status: 'failed' }),
      {
        name: '@myorg/app',
        version: '1.0.0',
        status: 'failed',
        reason: 'its dependency @myorg/base failed',
      },
    ]);
    expect(registry.requests.filter((request) => request.method === 'PUT')).toHaveLength(1);
  });

  it('uploads the packed tarball straight to storage when the registry offers that', async () => {
    // Prepare
    await registry.close();
    registry = await startRegistryStandIn({ prefix: '/', uploads: true });
    target = { kind: 'registry', url: registry.url, token: registry.token };
    const direct = await packages(['@myorg/direct', '2.0.0']);

    // Act
    const summary = await publishPackages(direct, target, { tag: 'next', logger: () => undefined });

    // Assess
    expect(summary.published).toBe(1);
    const calls = registry.requests.map((request) => `${request.method} ${request.url}`);
    expect(calls).toEqual([
      'GET /@myorg%2fdirect',
      'POST /-/myorg/v1/uploads',
      `PUT /-/bucket/upload-2`,
      'PUT /@myorg%2fdirect',
    ]);
    const sent = registry.requests[2]?.body ?? Buffer.alloc(0);
    const commit = JSON.parse(registry.requests[3]?.body.toString('utf8') ?? '{}');
    const version = commit.versions['2.0.0'];
    expect(sent.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(version.dist.shasum).toBe(createHash('sha1').update(sent).digest('hex'));
    expect(version).toMatchObject({ name: '@myorg/direct', _nodeVersion: process.versions.node });
    expect(version._npmVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(commit['dist-tags']).toEqual({ next: '2.0.0' });
    expect(commit._attachments).toEqual({
      'direct-2.0.0.tgz': {
        content_type: 'application/octet-stream',
        upload: 'upload-2',
        length: sent.length,
      },
    });
  });

  it('uses the uploader the resolved target brings', async () => {
    // Prepare: the seam a presigned-upload path plugs into.
    const resolved = await resolveTarget(target);
    const uploads: string[] = [];
    const [pkg] = await packages(['@myorg/seam', '1.0.0']);

    // Act
    const result = await resolved.uploader(pkg!, resolved, { tag: 'latest' });
    uploads.push(result);

    // Assess
    expect(uploads).toEqual(['published']);
    expect(await resolved.isPublished('@myorg/seam', '1.0.0')).toBe(true);
  });
});
