import { tarballFileName } from '@myorg/validation';

/**
 * Where a version's tarball is found relative to the registry's base URL:
 * `<name>/-/<unscoped name>-<version>.tgz`, the form packuments store (`dist.tarball`), so that
 * the registry can move to another address without rewriting a single document.
 */
export function tarballPath(name: string, version: string): string {
  return `${name}/-/${tarballFileName(name, version)}`;
}

/** The URL clients download from: stored relative paths are joined to `baseUrl`; absolute URLs stay. */
export function absoluteTarballUrl(tarball: string, baseUrl: string): string {
  return tarball.startsWith('http://') || tarball.startsWith('https://') ? tarball : `${baseUrl}/${tarball}`;
}
