import { tarballFileName } from '@myorg/validation';

/**
 * Where a version's tarball is found relative to the registry's base URL:
 * `<name>/-/<unscoped name>-<version>.tgz`, the form packuments store (`dist.tarball`), so that
 * the registry can move to another address without rewriting a single document.
 */
export function tarballPath(name: string, version: string): string {
  return `${name}/-/${tarballFileName(name, version)}`;
}

/**
 * Where a version's attestations are served relative to the base URL, spelt as npm's registry
 * spells them: `-/npm/v1/attestations/<name>@<version>`, a scope's slash encoded (`@scope%2fname`).
 */
export function attestationsPath(name: string, version: string): string {
  return `-/npm/v1/attestations/${name.replace('/', '%2f')}@${version}`;
}

/** The URL clients fetch from: stored relative paths are joined to `baseUrl`; absolute URLs stay. */
export function absoluteUrl(path: string, baseUrl: string): string {
  return path.startsWith('http://') || path.startsWith('https://') ? path : `${baseUrl}/${path}`;
}
