import type { PreparedBody } from '@myorg/response';
import type { PackumentForm } from '../packument/types.ts';
import type { UpstreamDocument } from './upstreamDocument.ts';

/**
 * The one copy of an upstream package held here, in the form the upstream sent it. A full copy
 * serves both forms; an abbreviated one serves abbreviated requests, and full ones only when the
 * upstream cannot be reached (marked stale), since it lacks what only the full form has.
 */
export interface UpstreamCopy {
  readonly name: string;
  readonly form: PackumentForm;
  readonly document: UpstreamDocument;
  /** The upstream's ETag for it (in its form), sent back as `If-None-Match` to revalidate. */
  readonly etag: string | undefined;
  /** When the upstream last confirmed this copy (ms since the epoch). */
  checkedAt: number;
  /** Bodies served from it, by `<form> <base URL>`. */
  readonly bodies: Map<string, Promise<PreparedBody>>;
  /** Memory it is accounted for: the document's size as received plus the bodies built. */
  bytes: number;
}

export function newCopy(fields: Omit<UpstreamCopy, 'bodies'>): UpstreamCopy {
  return { ...fields, bodies: new Map() };
}

/** Whether `copy` answers requests for `form` while the upstream is reachable. */
export function serves(copy: UpstreamCopy, form: PackumentForm): boolean {
  return copy.form === 'full' || form === 'abbreviated';
}
