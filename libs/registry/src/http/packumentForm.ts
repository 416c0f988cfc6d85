import { NpmMediaType } from '@myorg/constants';
import { LRUCache } from 'lru-cache';
import type { PackumentForm } from '../packument/types.ts';

// Clients send a handful of distinct Accept values: parsing one costs microseconds, a lookup nanoseconds.
const MAX_REMEMBERED = 128;

/**
 * Reads which packument form an `Accept` header asks for: abbreviated when it names
 * `application/vnd.npm.install-v1+json` with a q-value at least that of any JSON alternative, as
 * npm (`…install-v1+json; q=1.0, application/json; q=0.8, *\/*`) and pnpm send it; full otherwise.
 * Answers are remembered by the reader, within a bound.
 */
export function packumentFormReader(): (accept: string | undefined) => PackumentForm {
  const remembered = new LRUCache<string, PackumentForm>({ max: MAX_REMEMBERED });
  return (accept) => {
    if (accept === undefined || !accept.includes(NpmMediaType.ABBREVIATED)) return 'full';
    let form = remembered.get(accept);
    if (form === undefined) {
      form = parse(accept);
      remembered.set(accept, form);
    }
    return form;
  };
}

function parse(accept: string): PackumentForm {
  let abbreviated = 0;
  let full = 0;
  for (const member of accept.split(',')) {
    const [type = '', ...parameters] = member.split(';').map((part) => part.trim().toLowerCase());
    const qParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    const quality = Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0;
    if (type === NpmMediaType.ABBREVIATED) abbreviated = Math.max(abbreviated, quality);
    else if (type === NpmMediaType.FULL) full = Math.max(full, quality);
  }
  return abbreviated > 0 && abbreviated >= full ? 'abbreviated' : 'full';
}
