import { BadRequestError } from '@myorg/error';
import { json } from '@myorg/response';
import type { AccessPolicy } from '../access/AccessPolicy.ts';
import type { Principal } from '../auth/Principal.ts';
import { type Route, route } from '../http/types.ts';
import { Messages } from '../messages.ts';
import type { SupplyChainPolicy } from '../policy/SupplyChainPolicy.ts';
import type { SearchIndex } from '../search/SearchIndex.ts';
import { type SearchDocument, searchDocument } from '../search/searchDocument.ts';
import type { PackumentRepository } from '../storage/PackumentRepository.ts';

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
 * What search shows of a package under the supply-chain policy: its indexed `latest` when the
 * policy withholds nothing of it, else the version `latest` is served as (its fallback), or nothing
 * when no version is served, as `GET /:pkg` would answer.
 */
export function servedBy(
  policy: SupplyChainPolicy,
  packuments: PackumentRepository,
): (document: SearchDocument) => Promise<SearchDocument | undefined> {
  return async (document) => {
    const rules = await policy.rulesFor(document.name, 'local');
    if (rules === undefined) return document;
    const packument = await packuments.read(document.name);
    if (packument === undefined) return undefined;
    const { latest } = rules.tags(packument['dist-tags'], packument.versions, packument.time);
    return typeof latest === 'string' ? searchDocument(packument, latest) : undefined;
  };
}

/**
 * `npm search`: `GET /-/v1/search?text=&size=&from=` over this registry's own packages, leaving out
 * those the caller may not read (a refusal per package would tell their names), each shown as the
 * supply-chain policy serves it.
 */
export function searchRoutes(
  search: SearchIndex,
  access: AccessPolicy,
  policy: SupplyChainPolicy,
  packuments: PackumentRepository,
): Route[] {
  const served = servedBy(policy, packuments);
  return [
    route('GET', '/-/v1/search', async (req, ctx) => {
      const text = req.query.get('text') ?? '';
      const size = Math.min(wholeNumber(req.query, 'size', DEFAULT_SIZE), MAX_SIZE);
      const from = wholeNumber(req.query, 'from', 0);
      const readable = readableBy(access, ctx.principal);
      return json(200, await search.search({ text, size, from }, ctx.baseUrl, readable, served));
    }),
  ];
}
