const byExtension: Record<string, string> = {
  '.json': 'application/json',
  '.tgz': 'application/octet-stream',
};

/** The content type a backend that keeps no metadata reports, from the key's extension (undefined when unknown). */
export function contentTypeForKey(key: string): string | undefined {
  const dot = key.lastIndexOf('.');
  return dot > key.lastIndexOf('/') ? byExtension[key.slice(dot).toLowerCase()] : undefined;
}
