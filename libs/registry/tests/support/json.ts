/** A version as tests read it back. */
export interface VersionJson {
  name: string;
  version: string;
  deprecated?: unknown;
  dist: { tarball: string; shasum: string; integrity: string };
  [field: string]: unknown;
}

/** A packument as tests read it back. */
export interface PackumentJson {
  _id: string;
  _rev: string;
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, VersionJson>;
  time: Record<string, string>;
  [field: string]: unknown;
}

/** The error body npm prints from. */
export interface ErrorJson {
  error: string;
  code: string;
}

/** A response body parsed as JSON of the shape the test expects. */
export async function json<T = PackumentJson>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
