/**
 * The lines myorg-admin owns inside a consumer's `.npmrc` sit between these markers, so rewriting
 * them keeps every other setting of the file.
 */
export const BLOCK_START =
  '# >>> myorg-admin: CodeArtifact (generated, rewrite with `myorg-admin npmrc`) >>>';
export const BLOCK_END = '# <<< myorg-admin <<<';

const EXPIRY_PREFIX = '# token expires ';

export interface ManagedBlock {
  /** The settings lines (registry, auth token), without markers or comments. */
  lines: string[];
  /** When an inline token expires, as recorded next to it. */
  expiresAt: Date | undefined;
}

/** The managed block of an `.npmrc`, or undefined when it has none. */
export function readManagedBlock(text: string): ManagedBlock | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.indexOf(BLOCK_START);
  const end = lines.indexOf(BLOCK_END, start + 1);
  if (start < 0 || end < 0) return undefined;
  const inner = lines.slice(start + 1, end);
  const expiry = inner.find((line) => line.startsWith(EXPIRY_PREFIX))?.slice(EXPIRY_PREFIX.length);
  const expiresAt = expiry === undefined ? undefined : new Date(expiry);
  return {
    lines: inner.filter((line) => line.trim() !== '' && !line.startsWith('#')),
    expiresAt: expiresAt === undefined || Number.isNaN(expiresAt.getTime()) ? undefined : expiresAt,
  };
}

/** The key of an `.npmrc` line (`@myorg:registry`, `//host/path/:_authToken`), or undefined for comments. */
function keyOf(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return undefined;
  const equals = trimmed.indexOf('=');
  return (equals < 0 ? trimmed : trimmed.slice(0, equals)).trim();
}

/**
 * `existing` with its managed block replaced by `settings` (and the token's expiry, when inline).
 * Lines outside the block that set one of the same keys are dropped, since npm would read
 * whichever comes last; everything else is kept as written.
 */
export function mergeManagedBlock(
  existing: string | undefined,
  settings: string[],
  expiresAt?: Date,
): string {
  const keys = new Set(settings.map(keyOf));
  const outside: string[] = [];
  let inBlock = false;
  for (const line of (existing ?? '').split(/\r?\n/)) {
    if (line === BLOCK_START) inBlock = true;
    else if (line === BLOCK_END) inBlock = false;
    else if (!inBlock && !keys.has(keyOf(line))) outside.push(line);
  }
  while (outside.at(-1)?.trim() === '') outside.pop();
  const block = [
    BLOCK_START,
    ...(expiresAt === undefined ? [] : [`${EXPIRY_PREFIX}${expiresAt.toISOString()}`]),
    ...settings,
    BLOCK_END,
  ];
  return `${[...outside, ...(outside.length > 0 ? [''] : []), ...block].join('\n')}\n`;
}
