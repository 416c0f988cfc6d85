import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { RegistryClient } from '@myorg/services';
import { type PackageSpec, writePackage } from './fixtures.ts';

const run = promisify(execFile);

/** A package of the tree, as `npm pack` reported it. */
export interface PackedPackage {
  name: string;
  version: string;
  integrity: string;
  tarball: Buffer;
  manifest: PackageSpec;
}

/**
 * `count` small packages forming one dependency tree: package i depends on packages 2i+1 and
 * 2i+2 (with caret ranges), so installing the root (`treeName(0)`) installs all of them. Every
 * fifth one is scoped, so scoped names cross the proxy too.
 */
function treeSpecs(count: number, prefix: string): PackageSpec[] {
  return Array.from({ length: count }, (_, index) => {
    const children = [2 * index + 1, 2 * index + 2].filter((child) => child < count);
    return {
      name: treeName(index, prefix),
      version: '1.0.0',
      description: `package ${index} of the ${prefix} tree`,
      dependencies: Object.fromEntries(children.map((child) => [treeName(child, prefix), '^1.0.0'])),
    };
  });
}

export function treeName(index: number, prefix: string): string {
  const name = `${prefix}-${String(index).padStart(2, '0')}`;
  return index % 5 === 4 ? `@${prefix}/${name}` : name;
}

/**
 * Writes the packages under `dir` and packs them all with one `npm pack`, as npm makes tarballs:
 * with `publishPacked`, the set-up of tests about reading, for a fraction of an `npm publish` each.
 */
export async function packPackages(dir: string, specs: readonly PackageSpec[]): Promise<PackedPackage[]> {
  const folders = await Promise.all(specs.map((spec) => writePackage(join(dir, 'src'), spec)));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir, ...folders], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
    // npm's shebang runs `node` from PATH: make it the Node running these tests.
    env: { ...process.env, PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter) },
  });
  const reports = JSON.parse(stdout) as Array<{
    name: string;
    version: string;
    integrity: string;
    filename: string;
  }>;
  return await Promise.all(
    reports.map(async (report, index) => ({
      name: report.name,
      version: report.version,
      integrity: report.integrity,
      tarball: await readFile(join(dir, report.filename)),
      manifest: specs[index]!,
    })),
  );
}

/** The `count` packages of the `prefix` tree (see treeSpecs), packed under `dir`. */
export async function packTree(dir: string, count: number, prefix: string): Promise<PackedPackage[]> {
  return await packPackages(dir, treeSpecs(count, prefix));
}

/** Publishes packed packages with the body npm's own client sends. */
export async function publishPacked(
  registry: string,
  token: string,
  packages: readonly PackedPackage[],
): Promise<void> {
  const client = new RegistryClient({ registry, token });
  for (const packed of packages) {
    const { files: _files, ...manifest } = packed.manifest;
    await client.publish({ ...manifest, main: 'index.js', license: 'UNLICENSED' }, packed.tarball);
  }
}
