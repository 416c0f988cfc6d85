import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatOutcome,
  formatSummary,
  type PackageToPublish,
  type PublishTarget,
  publishPackages,
  resolveTarget,
} from '../src/publishing/index.ts';
import { type NpmRegistryStandIn, startNpmRegistryStandIn } from './support/npmRegistryStandIn.ts';
import { useTempDirs, writePackage } from './support/tempDir.ts';

describe('publishPackages to an npm registry', () => {
  const tempDir = useTempDirs();
  let registry: NpmRegistryStandIn;
  let target: Extract<PublishTarget, { kind: 'registry' }>;

  beforeEach(async () => {
    registry = await startNpmRegistryStandIn();
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
        dir: await writePackage(`${root}/p${index}`, name, version),
      })),
    );
  }

  it('publishes new versions, skips existing ones, and logs a line for each', async () => {
    // Prepare
    registry.versions.set('@myorg/old', new Set(['1.0.0']));
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
    expect([...(registry.versions.get('@myorg/new') ?? [])]).toEqual(['0.2.0']);
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
    expect(registry.versions.get('@myorg/tagged')?.has('1.0.0-rc.1')).toBe(true);
  });

  it('only reports what it would publish in a dry run', async () => {
    registry.versions.set('@myorg/old', new Set(['1.0.0']));

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

  it('fails a package whose registry check fails', async () => {
    const summary = await publishPackages(await packages(['@myorg/a', '1.0.0']), {
      ...target,
      token: 'wrong',
    });

    expect(summary.outcomes[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/401/) });
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
