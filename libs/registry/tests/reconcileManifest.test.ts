import { describe, expect, it } from 'vitest';
import type { VersionManifest } from '../src/packument/types.ts';
import { reconcileManifest } from '../src/publish/reconcileManifest.ts';

const dist = { shasum: 'abc', integrity: 'sha512-abc', tarball: 'demo/-/demo-1.0.0.tgz' };

function manifestOf(fields: Record<string, unknown>): VersionManifest {
  return { name: 'demo', version: '1.0.0', ...fields, dist };
}

function reconcile(
  manifest: Record<string, unknown>,
  packageJson: Record<string, unknown>,
  hasGypFile = false,
) {
  return reconcileManifest(manifestOf(manifest), {
    packageJson: { name: 'demo', version: '1.0.0', ...packageJson },
    hasGypFile,
  });
}

function refusal(message: RegExp) {
  return { status: 400, code: 'EBADPUBLISH', message: expect.stringMatching(message) };
}

describe('reconcileManifest', () => {
  it('accepts the manifest npm publish sends for the package.json it packed', async () => {
    // Prepare: npm normalises the manifest it sends; the packed package.json is as written.
    const packed = {
      name: '@scope/demo',
      version: 'v1.0.0',
      bin: './cli.js',
      scripts: { test: 'vitest', build: './node_modules/.bin/tsc' },
      dependencies: { 'left-pad': '^1.0.0', forked: 'user/forked' },
      peerDependencies: { react: '>=18' },
      optionalDependencies: { fsevents: '^2.0.0' },
      engines: { node: '>=20' },
    };
    const sent = {
      ...packed,
      version: '1.0.0',
      bin: { demo: 'cli.js' },
      scripts: { test: 'vitest', build: 'tsc' },
      dependencies: { 'left-pad': '^1.0.0', forked: 'github:user/forked' },
    };

    // Act
    const manifest = await reconcileManifest({ ...sent, dist }, { packageJson: packed, hasGypFile: false });

    // Assess: stored as sent, with nothing to flag.
    expect(manifest).toEqual({ ...sent, dist });
  });

  it.each([
    [
      'name',
      { name: 'other' },
      /manifest's name "demo" differs from the name in the tarball's package.json, "other"/,
    ],
    ['version', { version: '1.0.1' }, /manifest's version "1.0.0" differs .*, "1.0.1"/],
    ['a missing name', { name: undefined }, /manifest's name "demo" differs .*, ""/],
  ])('refuses a tarball whose package.json has another %s', async (_title, packageJson, message) => {
    await expect(reconcile({}, packageJson)).rejects.toMatchObject(refusal(message));
  });

  it.each([
    [
      'scripts',
      { scripts: { test: 'vitest' } },
      { scripts: { test: 'vitest', postinstall: 'node steal.js' } },
    ],
    ['dependencies', { dependencies: { a: '^1.0.0' } }, { dependencies: { a: '^1.0.0', evil: '*' } }],
    ['dependencies', { dependencies: { a: '^1.0.0' } }, { dependencies: { a: '^2.0.0' } }],
    ['optionalDependencies', {}, { optionalDependencies: { evil: '*' } }],
    ['peerDependencies', { peerDependencies: { react: '>=18' } }, { peerDependencies: { react: '>=17' } }],
    ['bin', { bin: { demo: 'cli.js' } }, { bin: { demo: 'other.js' } }],
    ['engines', { engines: { node: '>=20' } }, {}],
  ])(
    'refuses a tarball whose package.json has other %s, naming the field',
    async (field, manifest, packageJson) => {
      await expect(reconcile(manifest, packageJson)).rejects.toMatchObject(
        refusal(new RegExp(`"${field}" differs`)),
      );
    },
  );

  it('refuses a manifest that hides the install script of its tarball', async () => {
    await expect(reconcile({}, { scripts: { postinstall: 'node steal.js' } })).rejects.toMatchObject(
      refusal(/"scripts" differs/),
    );
  });

  it('sets hasInstallScript from the tarball and never trusts the claim', async () => {
    await expect(
      reconcile({ scripts: { install: 'node build.js' } }, { scripts: { install: 'node build.js' } }),
    ).resolves.toMatchObject({ hasInstallScript: true });
    await expect(reconcile({ hasInstallScript: true }, {})).resolves.not.toHaveProperty('hasInstallScript');
  });

  it('takes a *.gyp file without install script as `node-gyp rebuild`, as npm and pnpm do', async () => {
    // npm publish adds the script to the manifest; pnpm sends the package.json as packed.
    const npm = { scripts: { install: 'node-gyp rebuild' }, gypfile: true };
    await expect(reconcile(npm, {}, true)).resolves.toMatchObject({ hasInstallScript: true });
    await expect(reconcile({}, {}, true)).resolves.toMatchObject({ hasInstallScript: true });
    await expect(reconcile({ gypfile: false }, { gypfile: false }, true)).resolves.not.toHaveProperty(
      'hasInstallScript',
    );
    await expect(reconcile(npm, {}, false)).rejects.toMatchObject(refusal(/"scripts" differs/));
  });

  it('takes empty objects as absent fields', async () => {
    await expect(reconcile({ dependencies: {} }, {})).resolves.toMatchObject({ dependencies: {} });
  });

  it('refuses a package.json whose version is not semver', async () => {
    await expect(reconcile({}, { version: 'soon' })).rejects.toMatchObject(
      refusal(/not valid: Invalid version/),
    );
  });
});
