import type { Packument } from '@myorg/services';

/** A packument as tests read it back: the platform's own document type. */
export type { Packument as PackumentJson, VersionManifest as VersionJson } from '@myorg/services';

/** The error body npm prints from. */
export interface ErrorJson {
  error: string;
  code: string;
}

/** A response body parsed as JSON of the shape the test expects. */
export async function json<T = Packument>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
