import { isDeepStrictEqual } from 'node:util';
import { BadRequestError } from '@myorg/error';
import { isPlainObject } from '@myorg/utilities';
import PackageJson from '@npmcli/package-json';
import { Messages } from '../messages.ts';
import type { VersionManifest } from '../packument/types.ts';
import type { TarballContents } from './inspectTarball.ts';

/** What npm acts on at install: `npm view` must show what `npm install` runs and resolves. */
const INSTALL_FIELDS = [
  'scripts',
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'bin',
  'engines',
] as const;

/**
 * The steps of `npm publish`'s own normalisation (@npmcli/package-json) that touch the compared
 * fields and need no files: trimmed name, cleaned version, string scripts without
 * `node_modules/.bin/`, dependency lists as objects with git shortcuts expanded, `bin` as an
 * object of clean paths. The manifest npm sends went through them, the package.json it packed did
 * not; pnpm sends the packed package.json as it is.
 */
const NORMALISE_STEPS = ['fixNameField', 'fixVersionField', 'scriptpath', 'fixDependencies', 'bin'];

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/**
 * The manifest of a publish, checked against the package.json in its tarball so that what the
 * registry shows is what installs: `name` and `version` must match, and so must every field of
 * `INSTALL_FIELDS` once both sides are normalised as npm does. A field the tarball has and the
 * manifest lacks is refused rather than taken from the tarball: npm and pnpm always send them, so
 * a manifest without one was not made from this tarball. `hasInstallScript` is set from the
 * tarball's scripts (never trusted from the body): clients that read the abbreviated form only
 * learn from it that installing runs a script.
 */
export async function reconcileManifest(
  manifest: VersionManifest,
  { packageJson, hasGypFile }: TarballContents,
): Promise<VersionManifest> {
  const fromManifest = await installView(manifest, hasGypFile);
  const fromTarball = await installView(packageJson, hasGypFile);
  for (const field of ['name', 'version'] as const) {
    if (fromManifest[field] !== fromTarball[field]) {
      throw refuse(Messages.tarballDisagrees(field, fromManifest[field], fromTarball[field]));
    }
  }
  for (const field of INSTALL_FIELDS) {
    if (!isDeepStrictEqual(fromManifest[field], fromTarball[field])) {
      throw refuse(Messages.tarballFieldDisagrees(field));
    }
  }
  const { hasInstallScript: _claimed, ...fields } = manifest;
  const scripts = fromTarball.scripts;
  const runsScript =
    isPlainObject(scripts) && INSTALL_SCRIPTS.some((script) => scripts[script] !== undefined);
  return runsScript ? { ...fields, hasInstallScript: true } : fields;
}

/**
 * The name, version and install fields of `document` as npm reads them: normalised, with
 * `install: node-gyp rebuild` added as npm does for a package with a `*.gyp` file and neither
 * `install` nor `preinstall`, and empty objects taken as absent (they install the same).
 */
async function installView(
  document: Record<string, unknown>,
  hasGypFile: boolean,
): Promise<Record<string, unknown>> {
  const picked = Object.fromEntries(
    ['name', 'version', 'gypfile', ...INSTALL_FIELDS].map((field) => [field, document[field]]),
  );
  let content: Record<string, unknown>;
  try {
    ({ content } = await new PackageJson()
      .fromJSON(JSON.stringify(picked))
      .normalize({ steps: NORMALISE_STEPS }));
  } catch (error) {
    throw refuse(Messages.tarballPackageJsonInvalid(error instanceof Error ? error.message : String(error)));
  }
  const scripts = isPlainObject(content.scripts) ? content.scripts : {};
  if (hasGypFile && content.gypfile !== false && !scripts.install && !scripts.preinstall) {
    content.scripts = { ...scripts, install: 'node-gyp rebuild' };
  }
  for (const field of INSTALL_FIELDS) {
    const value = content[field];
    if (isPlainObject(value) && Object.keys(value).length === 0) delete content[field];
  }
  return content;
}

function refuse(message: string): BadRequestError {
  return new BadRequestError(message, { code: 'EBADPUBLISH' });
}
