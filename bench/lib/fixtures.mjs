// Bench data, generated locally: package folders packed with `npm pack`, plus (for the many-version
// and publish-latency packages) tarballs built in memory. Nothing is fetched from the internet.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { childEnv } from './env.mjs';
import { runProcess } from './processes.mjs';
import { makeTarball } from './tarball.mjs';

export const names = {
  small: '@bench/small',
  big: '@bench/big',
  many: '@bench/many',
  publish: '@bench/publish',
  huge: '@bench/huge',
  tree: (index) => `@bench/tree-${String(index).padStart(3, '0')}`,
};

export const smallVersions = ['1.0.0', '1.0.1', '1.1.0'];
const words = 'registry package version tarball publish install cache token scope semver tag lockfile stream'
  .concat(' buffer request response header digest manifest module export import build test release')
  .split(' ');

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so every run has the same data. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function prose(next, wordCount) {
  const out = [];
  for (let i = 0; i < wordCount; i++) out.push(words[Math.floor(next() * words.length)]);
  return out.join(' ');
}

function readme(name, next, wordCount) {
  return `# ${name}\n\n${prose(next, wordCount)}\n\n## Usage\n\n\`\`\`js\nimport x from '${name}';\n\`\`\`\n`;
}

async function writePackage(dir, manifest, files) {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
}

/** What `npm publish` sends as the version manifest for a folder: package.json plus its readme. */
function publishedManifest(manifest, readmeText) {
  return { ...manifest, readme: readmeText, readmeFilename: 'README.md' };
}

/** A version of the many-version package, about 2.5 KB of manifest like a real library's. */
function manyManifest(version, next) {
  const deps = (prefix, count) =>
    Object.fromEntries(
      Array.from({ length: count }, (_, i) => [`@bench/${prefix}-${i}`, `^${1 + (i % 5)}.${i % 7}.0`]),
    );
  return {
    name: names.many,
    version,
    description: 'A package with a long release history, for packument benchmarks.',
    keywords: words.slice(0, 12),
    homepage: 'https://example.invalid/bench/many#readme',
    bugs: { url: 'https://example.invalid/bench/many/issues' },
    license: 'MIT',
    author: { name: 'Bench Author', email: 'author@example.invalid' },
    contributors: ['One', 'Two', 'Three'].map((n) => ({
      name: `Contributor ${n}`,
      email: `${n}@example.invalid`,
    })),
    repository: { type: 'git', url: 'git+https://example.invalid/bench/many.git' },
    type: 'module',
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': { types: './dist/index.d.ts', import: './dist/index.js', require: './dist/index.cjs' },
      './package.json': './package.json',
    },
    files: ['dist', 'README.md'],
    scripts: { build: 'tsup', test: 'vitest run', lint: 'biome check .', prepublishOnly: 'npm run build' },
    dependencies: deps('dep', 12),
    devDependencies: deps('dev', 16),
    peerDependencies: { '@bench/peer': '>=1.0.0' },
    engines: { node: '>=18' },
    gitHead: version.replaceAll('.', '').padStart(40, 'a'),
    readme: readme(names.many, next, 120),
    readmeFilename: 'README.md',
  };
}

/** A version manifest and its tarball, built in memory (the tarball carries the same package.json). */
function inMemoryVersion(manifest) {
  const { readme: readmeText, readmeFilename, ...packageJson } = manifest;
  const tarball = makeTarball({
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'README.md': readmeText,
    'index.js': `export const version = '${manifest.version}';\n`,
  });
  return { manifest, tarball };
}

function manyVersionList(count) {
  return Array.from(
    { length: count },
    (_, i) => `${1 + Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}`,
  );
}

/**
 * Writes and packs the fixtures under `dir`. Returns, per fixture, what the harness publishes:
 * small (npm publish of packed tarballs), big (npm publish, ~1 MB), tree (packed folders with
 * dependencies among them, published by PUT), many, publish and publishMany (in-memory versions, PUT).
 */
export async function generateFixtures(
  dir,
  { manyVersions: manyVersionCount, treeSize, publishCount, publishManyCount },
) {
  const manyVersions = manyVersionList(manyVersionCount + publishManyCount);
  const next = random(20240601);
  const sources = path.join(dir, 'sources');
  const packed = path.join(dir, 'packed');
  await mkdir(packed, { recursive: true });
  const folders = [];

  const small = smallVersions.map((version) => {
    const folder = path.join(sources, `small-${version}`);
    const manifest = {
      name: names.small,
      version,
      description: 'A small package.',
      main: 'index.js',
      license: 'MIT',
    };
    folders.push({
      folder,
      manifest,
      files: { 'index.js': `module.exports = '${version}';\n`, 'README.md': readme(names.small, next, 60) },
    });
    return { version, folder };
  });

  const noise = Buffer.alloc(1_000_000);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(next() * 256); // incompressible: the tarball stays ~1 MB
  const bigManifest = {
    name: names.big,
    version: '1.0.0',
    description: 'A package with a ~1 MB tarball.',
    main: 'index.js',
    license: 'MIT',
  };
  const bigReadme = readme(names.big, next, 40);
  folders.push({
    folder: path.join(sources, 'big'),
    manifest: bigManifest,
    files: {
      'index.js': 'module.exports = 1;\n',
      'README.md': bigReadme,
      'data.bin': noise,
    },
  });

  const tree = [];
  const dependedOn = new Set();
  for (let i = 0; i < treeSize; i++) {
    const dependencies = {};
    for (let d = Math.floor(next() * 4); d > 0 && i + 1 < treeSize; d--) {
      const target = i + 1 + Math.floor(next() * (treeSize - i - 1));
      dependencies[names.tree(target)] = '^1.0.0';
      dependedOn.add(target);
    }
    const name = names.tree(i);
    const folder = path.join(sources, `tree-${i}`);
    const readmeText = readme(name, next, 80);
    const files = {
      'index.js': `module.exports = ${JSON.stringify(prose(next, 40))};\n`,
      'README.md': readmeText,
    };
    for (let f = Math.floor(next() * 4); f > 0; f--)
      files[`lib/part-${f}.js`] = `// ${prose(next, 200 + Math.floor(next() * 3000))}\n`;
    const manifest = {
      name,
      version: '1.0.0',
      description: `Tree package ${i}.`,
      main: 'index.js',
      license: 'MIT',
      dependencies,
    };
    folders.push({ folder, manifest, files });
    tree.push({ name, version: '1.0.0', folder, manifest: publishedManifest(manifest, readmeText) });
  }
  const roots = tree.filter((_, i) => !dependedOn.has(i)).map((p) => p.name);

  for (const { folder, manifest, files } of folders) await writePackage(folder, manifest, files);
  const output = await runProcess(
    'npm',
    [
      'pack',
      ...folders.map((f) => f.folder),
      '--pack-destination',
      packed,
      '--json',
      '--ignore-scripts',
      '--loglevel=error',
    ],
    { cwd: dir, env: childEnv(), quiet: true },
  );
  const packs = JSON.parse(output.slice(output.indexOf('[')));
  const fileOf = (name, version) => {
    const pack = packs.find((p) => p.name === name && p.version === version);
    if (!pack) throw new Error(`npm pack produced no tarball for ${name}@${version}`);
    return path.join(packed, pack.filename);
  };
  for (const entry of small) entry.file = fileOf(names.small, entry.version);
  for (const entry of tree) entry.tarball = await readFile(fileOf(entry.name, entry.version));

  return {
    small,
    big: {
      name: names.big,
      version: '1.0.0',
      file: fileOf(names.big, '1.0.0'),
      manifest: publishedManifest(bigManifest, bigReadme),
      tarball: await readFile(fileOf(names.big, '1.0.0')),
    },
    tree: { packages: tree, roots },
    many: manyVersions
      .slice(0, manyVersionCount)
      .map((version) => inMemoryVersion(manyManifest(version, next))),
    // new versions of the many-version package, for the publish timing into a large packument
    publishMany: manyVersions
      .slice(manyVersionCount)
      .map((version) => inMemoryVersion(manyManifest(version, next))),
    publish: Array.from({ length: publishCount }, (_, i) =>
      inMemoryVersion({
        name: names.publish,
        version: `1.0.${i}`,
        description: 'New versions published while publish latency is timed.',
        main: 'index.js',
        license: 'MIT',
        readme: readme(names.publish, next, 60),
        readmeFilename: 'README.md',
      }),
    ),
  };
}
