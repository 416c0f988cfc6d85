import { BadRequestError } from '@myorg/error';
import { json } from '@myorg/response';
import type { AccessPolicy } from '../access/AccessPolicy.ts';
import type { Principal } from '../auth/Principal.ts';
import { type Route, route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import type { SearchIndex } from '../search/SearchIndex.ts';
import type { SearchDocument } from '../search/searchDocument.ts';

const DEFAULT_SIZE = 20;
const MAX_SIZE = 250;

function wholeNumber(query: URLSearchParams, parameter: string, fallback: number): number {
  const text = query.get(parameter);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new BadRequestError(Messages.badSearchParameter(parameter));
  return value;
}

/** Which search documents `principal` may see: the access policy's read decision, per package. */
export function readableBy(
  access: AccessPolicy,
  principal: Principal | undefined,
): (document: SearchDocument) => boolean {
  return (document) =>
    access.mayRead(principal, document.name, {
      maintainers: document.maintainers.map((maintainer) => ({ name: maintainer.username })),
    });
}

/**
 * `npm search`: `GET /-/v1/search?text=&size=&from=` over this registry's own packages, leaving out
 * those the caller may not read (a refusal per package would tell their names).
 */
export function searchRoutes(search: SearchIndex, access: AccessPolicy): Route[] {
  return [
    route('GET', '/-/v1/search', async (req, ctx) => {
      const text = req.query.get('text') ?? '';
      const size = Math.min(wholeNumber(req.query, 'size', DEFAULT_SIZE), MAX_SIZE);
      const from = wholeNumber(req.query, 'from', 0);
      return json(
        200,
        await search.search({ text, size, from }, ctx.baseUrl, readableBy(access, ctx.principal)),
      );
    }),
  ];
}
