import type { Packument, VersionManifest } from '@myorg/registry';
import { epochSeconds } from './awsResponses.ts';

/** The npm package name for CodeArtifact's namespace (the scope without "@") and package. */
export function npmName(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === '' ? name : `@${namespace}/${name}`;
}

function origin(repository: string) {
  return { domainEntryPoint: { repositoryName: repository }, originType: 'INTERNAL' };
}

function publishedTime(packument: Packument, version: string): number | undefined {
  const time = (packument.time as Record<string, string | undefined>)[version];
  return time === undefined ? undefined : epochSeconds(new Date(time));
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function repositoryUrl(manifest: VersionManifest): string | undefined {
  const repository = manifest.repository;
  if (typeof repository === 'string') return repository;
  return typeof repository === 'object' && repository !== null
    ? text((repository as { url?: unknown }).url)
    : undefined;
}

/** The API's PackageVersionDescription for one version of an npm packument. */
export function packageVersionDescription(
  packument: Packument,
  manifest: Packument['versions'][string],
  namespace: string | undefined,
  packageName: string,
  version: string,
  repository: string,
) {
  const license = text(manifest.license);
  return {
    format: 'npm',
    ...(namespace === undefined ? {} : { namespace }),
    packageName,
    displayName: packument.name,
    version,
    ...(text(manifest.description) === undefined ? {} : { summary: text(manifest.description) }),
    ...(text(manifest.homepage) === undefined ? {} : { homePage: text(manifest.homepage) }),
    ...(repositoryUrl(manifest) === undefined ? {} : { sourceCodeRepository: repositoryUrl(manifest) }),
    ...(publishedTime(packument, version) === undefined
      ? {}
      : { publishedTime: publishedTime(packument, version) }),
    licenses: license === undefined ? [] : [{ name: license }],
    revision: manifest.dist.shasum,
    status: 'Published',
    origin: origin(repository),
  };
}

/** The API's PackageVersionSummary list, in publishing order. */
export function packageVersionSummaries(packument: Packument, repository: string) {
  return Object.entries(packument.versions)
    .sort(([a], [b]) => (publishedTime(packument, a) ?? 0) - (publishedTime(packument, b) ?? 0))
    .map(([version, manifest]) => ({
      version,
      status: 'Published',
      revision: manifest.dist.shasum,
      origin: origin(repository),
    }));
}
