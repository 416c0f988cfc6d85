import { DocumentErrorCode, type DocumentStore, isDocumentError } from '@myorg/database';
import {
  AppError,
  ConflictError,
  MethodNotAllowedError,
  NotFoundError,
  PreconditionFailedError,
  UnsupportedMediaTypeError,
} from '@myorg/error';
import {
  bodyLimit,
  compose,
  errorMapping,
  type Handler,
  type HttpRequest,
  readJson,
  requestId,
  requestLogging,
} from '@myorg/middleware';
import { empty, isNotModified, json } from '@myorg/response';
import type { RegistryClient } from '@myorg/services';
import { isStorageError, StorageErrorCode } from '@myorg/storage';
import { decodePackageNameFromPath } from '@myorg/validation';
import { type CatalogueEntry, parseEntryInput } from './catalogueEntry.ts';
import { lookUpPackage } from './lookUpPackage.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export interface CatalogueServiceOptions {
  entries: DocumentStore<CatalogueEntry>;
  registry: RegistryClient;
}

/** npm's URL form of a package name: the scope's slash encoded, so a name is one path segment. */
const entryPath = (name: string) => `/entries/${name.replace('/', '%2f')}`;

/** The storage's lost condition (the entry changed or went since it was read), as the 412 clients expect. */
const staleEntry =
  (name: string) =>
  (error: unknown): never => {
    if (!isStorageError(error, StorageErrorCode.PRECONDITION)) throw error;
    throw new PreconditionFailedError(`${name} changed since that ETag; read it again`, { cause: error });
  };

function requireJson(req: HttpRequest): void {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    throw new UnsupportedMediaTypeError('send the entry as application/json');
  }
}

/**
 * The catalogue API. Every entry carries an ETag; `PUT` with `If-Match` replaces it only if nobody
 * changed it since it was read (412 otherwise), `PUT` without creates it (409 if it exists), and
 * `DELETE` requires `If-Match` (428 without).
 *
 * - `GET /entries`, `GET|PUT|DELETE /entries/:name`
 * - `GET /entries/:name/registry`: the package's published versions and dist-tags
 */
export function createCatalogueHandler({ entries, registry }: CatalogueServiceOptions): Handler {
  const load = async (name: string) => {
    const entry = await entries.get(name);
    if (entry === undefined) throw new NotFoundError(`${name} is not in the catalogue`);
    return entry;
  };

  const list = async () => {
    const found: CatalogueEntry[] = [];
    for await (const name of entries.list()) {
      const entry = await entries.get(name);
      // An entry deleted since the listing is simply left out.
      if (entry) found.push(entry.value);
    }
    return json(200, { entries: found });
  };

  const read = async (req: HttpRequest, name: string) => {
    const { value, version } = await load(name);
    if (isNotModified(req.headers, version)) return empty(304, { etag: version });
    return json(200, value, { etag: version });
  };

  const write = async (req: HttpRequest, name: string) => {
    requireJson(req);
    const entry = parseEntryInput(name, await readJson(req));
    const ifMatch = req.headers['if-match']?.trim();
    if (ifMatch) {
      const written = await entries.replace(name, entry, ifMatch).catch(staleEntry(name));
      return json(200, written.value, { etag: written.version });
    }
    try {
      const written = await entries.create(name, entry);
      return json(201, written.value, { etag: written.version, location: entryPath(name) });
    } catch (error) {
      if (!isDocumentError(error, DocumentErrorCode.EXISTS)) throw error;
      throw new ConflictError(
        `${name} is already in the catalogue; send If-Match with its ETag to replace it`,
        {
          cause: error,
        },
      );
    }
  };

  const remove = async (req: HttpRequest, name: string) => {
    const ifMatch = req.headers['if-match']?.trim();
    if (!ifMatch) {
      throw new AppError('send If-Match with the ETag of the entry to delete', {
        status: 428,
        code: 'EPRECONDITIONREQUIRED',
      });
    }
    if (!(await entries.delete(name, ifMatch).catch(staleEntry(name))))
      throw new NotFoundError(`${name} is not in the catalogue`);
    return empty(204);
  };

  const published = async (name: string) => {
    await load(name);
    const summary = await lookUpPackage(registry, name);
    if (summary === undefined) throw new NotFoundError(`${name} is not published in the registry`);
    return json(200, summary);
  };

  const route: Handler = async (req) => {
    const [collection, segment, detail, ...rest] = req.path.slice(1).split('/');
    if (collection !== 'entries' || rest.length > 0) throw new NotFoundError(`no such resource: ${req.path}`);
    if (segment === undefined) {
      if (req.method !== 'GET') throw new MethodNotAllowedError(['GET']);
      return list();
    }
    const name = decodePackageNameFromPath(segment);
    if (detail === 'registry') {
      if (req.method !== 'GET') throw new MethodNotAllowedError(['GET']);
      return published(name);
    }
    if (detail !== undefined) throw new NotFoundError(`no such resource: ${req.path}`);
    if (req.method === 'GET') return read(req, name);
    if (req.method === 'PUT') return write(req, name);
    if (req.method === 'DELETE') return remove(req, name);
    throw new MethodNotAllowedError(['GET', 'PUT', 'DELETE']);
  };

  return compose(requestId(), requestLogging(), errorMapping(), bodyLimit(MAX_BODY_BYTES))(route);
}
