import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';

export interface Browser {
  executablePath: string;
  args: string[];
}

/** Where Debian's package (`apt-get install -y chromium`) puts it. */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const SYSTEM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The Chromium to drive: `CHROMIUM_PATH`, else the system's, else the headless Chromium that the
 * `@sparticuz/chromium` devDependency ships inside its npm package, so `npm install` is all a
 * machine needs. Playwright never downloads a browser here.
 */
export async function findChromium(): Promise<Browser> {
  const system = process.env.CHROMIUM_PATH ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
  if (system !== undefined) return { executablePath: system, args: SYSTEM_FLAGS };
  return { executablePath: await unpackedChromium(), args: chromium.args };
}

/**
 * The package's compressed browser, unpacked once per version into the temp dir and reused by later
 * runs. The package unpacks into `os.tmpdir()` and trusts any file already there, so it unpacks
 * into a private dir that is then renamed into place: a test run that runs beside this one (the
 * consumers e2e runs this suite too) or was killed halfway never sees a half-written browser.
 */
async function unpackedChromium(): Promise<string> {
  const manifest = new URL('../package.json', import.meta.resolve('@sparticuz/chromium'));
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  const dir = join(tmpdir(), `sparticuz-chromium-${version}`);
  const executable = join(dir, 'chromium');
  if (existsSync(executable)) return executable;
  const staging = await mkdtemp(`${dir}-unpacking-`);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    await chromium.executablePath();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  await rename(staging, dir).catch(async (error: unknown) => {
    await rm(staging, { recursive: true, force: true });
    // Another run may have won the race: its copy is as good as this one.
    if (!existsSync(executable)) throw error;
  });
  return executable;
}
