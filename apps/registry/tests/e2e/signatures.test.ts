import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Manifest, RegistryClient } from '@myorg/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writePackage, writeProject } from './support/fixtures.ts';
import { createUser, request } from './support/httpClient.ts';
import { type CommandResult, createNpmClient, type NpmClient } from './support/npmClient.ts';
import { type RegistryServer, startRegistry } from './support/registryServer.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'signatures');
const offlineTuf = join(import.meta.dirname, 'support', 'sigstoreTufOffline.cjs');
/** What npm's `npm audit signatures` needs besides our registry: see sigstoreTufOffline.cjs. */
const auditEnv = { NODE_OPTIONS: `--require ${offlineTuf}` };

/** npm installs `dependencies` into a new project at `dir`, then runs `npm audit signatures` there. */
async function installAndAudit(
  npm: NpmClient,
  dir: string,
  dependencies: Record<string, string>,
): Promise<CommandResult> {
  const project = await writeProject(dir, dependencies);
  await npm.npmOk(['install'], { cwd: project });
  return await npm.npm(['audit', 'signatures'], { cwd: project, env: auditEnv });
}

/** The proxied version whose attestations the fixture upstream serves. */
const attested = 'tiny-tarball@1.0.0';

interface FixturePackage {
  name: string;
  version: string;
  file: string;
}

/** A fixture packument with the one version it holds. */
interface FixtureDocument {
  versions: Record<string, { dist: { tarball: string; signatures: unknown } }>;
  time: Record<string, string>;
}

/**
 * The upstream fixture (fixtures/signatures, see its README) on loopback, as npm's registry serves
 * it: real packuments with the registry's own `dist.signatures` and publish `time`, their tarballs,
 * the registry's keys, and the attestations of one version. `alter` changes the packuments first.
 */
async function startFixtureUpstream(
  attestations: object,
  alter?: (documents: FixtureDocument[]) => void,
): Promise<{ url: string; server: Server }> {
  const { packages } = JSON.parse(await readFile(join(fixtures, 'fixture.json'), 'utf8')) as {
    packages: FixturePackage[];
  };
  const keys = await readFile(join(fixtures, 'keys.json'));
  const served = await Promise.all(
    packages.map(async (fixture) => ({
      ...fixture,
      document: JSON.parse(await readFile(join(fixtures, `${fixture.file}.json`), 'utf8')) as FixtureDocument,
    })),
  );
  alter?.(served.map(({ document }) => document));
  const routes = new Map<string, () => Promise<Buffer>>();
  let base = '';
  for (const { name, version, file, document } of served) {
    routes.set(`/${name}`, async () => {
      const dist = document.versions[version]?.dist;
      if (dist === undefined) throw new Error(`${file}.json has no version ${version}`);
      return Buffer.from(
        JSON.stringify({
          ...document,
          versions: {
            [version]: {
              ...document.versions[version],
              dist: { ...dist, tarball: `${base}/${dist.tarball}` },
            },
          },
        }),
      );
    });
    routes.set(`/${name}/-/${file}-${version}.tgz`, () => readFile(join(fixtures, `${file}-${version}.tgz`)));
  }
  routes.set('/-/npm/v1/keys', async () => keys);
  routes.set(`/-/npm/v1/attestations/${attested}`, async () => Buffer.from(JSON.stringify(attestations)));
  const server = createServer((req, res) => {
    const send = routes.get(req.url ?? '');
    if (send === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    send().then(
      (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${base}/`, server };
}

/** A Sigstore bundle shaped as npm sends it, whose statement is about `purl` with `tarball`'s sha512. */
async function provenanceBundle(purl: string, tarball: Buffer): Promise<{ mediaType: string }> {
  const template = JSON.parse(await readFile(join(fixtures, 'provenance.sigstore.json'), 'utf8'));
  const statement = JSON.parse(Buffer.from(template.dsseEnvelope.payload, 'base64').toString('utf8'));
  statement.subject = [
    { name: purl, digest: { sha512: createHash('sha512').update(tarball).digest('hex') } },
  ];
  template.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  return template;
}

/**
 * Signatures and provenance through the proxy, with the real npm CLI: the upstream fixture's
 * packages keep their registry signatures, npm verifies them against the keys proxied from the
 * upstream, and a publish's provenance bundle is kept and served as npm's registry serves it.
 */
describe('signatures and provenance', { timeout: 180_000 }, () => {
  let upstream: { url: string; server: Server };
  let registry: RegistryServer;
  let work: string;
  let token: string;
  const upstreamAttestations = {
    attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: {} }],
  };

  beforeAll(async () => {
    work = await tempDir('signatures');
    upstream = await startFixtureUpstream(upstreamAttestations);
    registry = await startRegistry({ env: { REGISTRY_UPSTREAM: upstream.url } });
    token = await createUser(registry, 'signer');
  }, 60_000);

  afterAll(async () => {
    await registry?.stop();
    await new Promise((closed) => upstream?.server.close(closed));
    await rm(work, { recursive: true, force: true });
  });

  /** `name@1.0.0` written and packed by npm, as `npm publish` sends it (npm cannot sign provenance offline). */
  async function packed(name: string): Promise<{ manifest: Manifest; tarball: Buffer }> {
    const dir = await writePackage(join(work, 'src'), { name, version: '1.0.0' });
    const packer = await createNpmClient(registry.url);
    try {
      const args = ['pack', '--json', '--pack-destination', work];
      const [report] = JSON.parse((await packer.npmOk(args, { cwd: dir })).stdout) as { filename: string }[];
      return {
        manifest: JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest,
        tarball: await readFile(join(work, report?.filename ?? '')),
      };
    } finally {
      await packer.remove();
    }
  }

  it('lets npm audit signatures verify the npm registry’s own signatures on proxied packages', async () => {
    // Prepare
    const npm = await createNpmClient(registry.url);

    try {
      // Act
      const audit = await installAndAudit(npm, join(work, 'proxied'), {
        'tiny-tarball': '1.0.0',
        'not-licensed': '1.0.0',
      });

      // Assess
      expect(audit.code, `${audit.stdout}\n${audit.stderr}`).toBe(0);
      expect(audit.stdout).toContain('audited 2 packages');
      expect(audit.stdout).toContain('2 packages have verified registry signatures');
    } finally {
      await npm.remove();
    }
  });

  it('proxies the keys and a proxied version’s attestations', async () => {
    // Act
    const keys = await request(registry, '/-/npm/v1/keys');
    const attestations = await request(registry, `/-/npm/v1/attestations/${attested}`);

    // Assess
    expect(keys.json).toEqual(JSON.parse(await readFile(join(fixtures, 'keys.json'), 'utf8')));
    expect(attestations.json).toEqual(upstreamAttestations);
  });

  it('stores a published provenance bundle and serves it as npm’s registry does', async () => {
    // Prepare
    const { manifest, tarball } = await packed('@myorg/attested');
    const bundle = await provenanceBundle('pkg:npm/%40myorg/attested@1.0.0', tarball);

    // Act
    await new RegistryClient({ registry: registry.url, token }).publish(manifest, tarball, {
      provenance: bundle,
    });
    const version = await request(registry, '/@myorg%2fattested/1.0.0');
    const served = await request(registry, '/-/npm/v1/attestations/@myorg%2fattested@1.0.0');
    const slashForm = await request(registry, '/-/npm/v1/attestations/@myorg/attested@1.0.0');

    // Assess
    const attestations = (version.json as { dist: { attestations: unknown } }).dist.attestations;
    expect(attestations).toEqual({
      url: `${registry.url}-/npm/v1/attestations/@myorg%2fattested@1.0.0`,
      provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
    });
    expect(served.status).toBe(200);
    expect(served.json).toEqual({
      attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle }],
    });
    expect(slashForm.json).toEqual(served.json);
  });

  it('refuses a provenance bundle about other bytes', async () => {
    // Prepare
    const { manifest, tarball } = await packed('@myorg/misattested');
    const bundle = await provenanceBundle('pkg:npm/%40myorg/misattested@1.0.0', Buffer.from('other bytes'));

    // Act
    const publishing = new RegistryClient({ registry: registry.url, token }).publish(manifest, tarball, {
      provenance: bundle,
    });

    // Assess
    await expect(publishing).rejects.toThrow(/sha512 digest is not the tarball's/);
    expect((await request(registry, '/@myorg%2fmisattested')).status).toBe(404);
  });

  it('reports a local package without a signature as npm does for a registry with keys', async () => {
    // Prepare
    const dir = await writePackage(join(work, 'src'), { name: '@myorg/unsigned', version: '1.0.0' });
    const npm = await createNpmClient(registry.url);
    await npm.setToken(token);
    await npm.npmOk(['publish'], { cwd: dir });

    try {
      // Act
      const audit = await installAndAudit(npm, join(work, 'mixed'), {
        'tiny-tarball': '1.0.0',
        '@myorg/unsigned': '1.0.0',
      });

      // Assess
      expect(audit.code).toBe(1);
      expect(audit.stdout).toContain('1 package has a verified registry signature');
      expect(audit.stdout).toContain(
        '1 package has a missing registry signature but the registry is providing signing keys',
      );
      expect(audit.stdout).toContain(`@myorg/unsigned@1.0.0 (${registry.url})`);
      expect(audit.stdout).not.toContain('invalid');
    } finally {
      await npm.remove();
    }
  });
});

/** Each version carries another one's signature: well-formed, made by the registry's key, and wrong. */
function swapSignatures(documents: FixtureDocument[]): void {
  const dists = documents.flatMap((document) => Object.values(document.versions).map(({ dist }) => dist));
  const signatures = dists.map((dist) => dist.signatures);
  for (const [index, dist] of dists.entries()) dist.signatures = signatures[(index + 1) % dists.length];
}

/** Each version published after the registry's first key, which signed it, expired (2025-01-29). */
function publishAfterKeyExpiry(documents: FixtureDocument[]): void {
  for (const document of documents) {
    for (const version of Object.keys(document.versions)) document.time[version] = '2025-06-01T00:00:00.000Z';
  }
}

describe.each([
  {
    upstream: 'signatures that do not match',
    alter: swapSignatures,
    outcome: 'reports them invalid: npm verifies what the proxy relays',
    assess: (audit: CommandResult, registry: RegistryServer) => {
      expect(audit.code).toBe(1);
      expect(audit.stdout).toContain('1 package has an invalid registry signature');
      expect(audit.stdout).toContain(`tiny-tarball@1.0.0 (${registry.url})`);
    },
  },
  {
    upstream: 'a publish time after the signing key expired',
    alter: publishAfterKeyExpiry,
    outcome: 'refuses the key: npm checks it against the publish time the proxy relays',
    assess: (audit: CommandResult) => {
      expect(audit.code).not.toBe(0);
      expect(audit.stderr).toContain('EEXPIREDSIGNATUREKEY');
      expect(audit.stderr).toContain('the corresponding public key has expired 2025-01-29');
    },
  },
])(
  'npm audit signatures on proxied versions with $upstream',
  { timeout: 180_000 },
  ({ alter, outcome, assess }) => {
    let upstream: { url: string; server: Server };
    let registry: RegistryServer;
    let work: string;

    beforeAll(async () => {
      work = await tempDir('signatures-altered');
      upstream = await startFixtureUpstream({}, alter);
      registry = await startRegistry({ env: { REGISTRY_UPSTREAM: upstream.url } });
    }, 60_000);

    afterAll(async () => {
      await registry?.stop();
      await new Promise((closed) => upstream?.server.close(closed));
      await rm(work, { recursive: true, force: true });
    });

    it(outcome, async () => {
      // Prepare
      const npm = await createNpmClient(registry.url);

      try {
        // Act
        const audit = await installAndAudit(npm, join(work, 'project'), { 'tiny-tarball': '1.0.0' });

        // Assess
        assess(audit, registry);
      } finally {
        await npm.remove();
      }
    });
  },
);

describe('npm audit signatures on a registry without an upstream', { timeout: 180_000 }, () => {
  let registry: RegistryServer;
  let work: string;

  beforeAll(async () => {
    work = await tempDir('signatures-local');
    registry = await startRegistry({ env: { REGISTRY_UPSTREAM: 'none' } });
  }, 60_000);

  afterAll(async () => {
    await registry?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('has no keys, so npm reports nothing invalid or missing for its packages', async () => {
    // Prepare
    const dir = await writePackage(join(work, 'src'), { name: '@myorg/local-only', version: '1.0.0' });
    const npm = await createNpmClient(registry.url);
    await npm.setToken(await createUser(registry, 'local-publisher'));
    await npm.npmOk(['publish'], { cwd: dir });

    try {
      // Act
      const keys = await request(registry, '/-/npm/v1/keys');
      const audit = await installAndAudit(npm, join(work, 'local'), { '@myorg/local-only': '1.0.0' });

      // Assess
      expect(keys.status).toBe(404);
      // npm's words for a tree with nothing a registry signs; nothing is reported invalid or missing.
      expect(audit.stderr).toContain(
        'found no dependencies to audit that were installed from a supported registry',
      );
      expect(audit.stdout).not.toMatch(/invalid|missing/);
    } finally {
      await npm.remove();
    }
  });
});
