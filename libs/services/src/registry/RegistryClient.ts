import { ContentType, Header, NpmMediaType } from '@myorg/constants';
import { BadGatewayError, BadRequestError, isAppError } from '@myorg/error';
import { isPlainObject, safeJsonParse } from '@myorg/utilities';
import { AttemptDeadline } from '../http/AttemptDeadline.ts';
import { guardedBody } from '../http/guardedBody.ts';
import { bytes, type HttpAnswer, httpRequest, release } from '../http/httpRequest.ts';
import { redactUrl } from '../http/redactUrl.ts';
import { transportError } from '../http/transportError.ts';
import { withRetries } from '../http/withRetries.ts';
import { escapePackageName } from './packageName.ts';
import { type PublishOptions, publishDocument, type UploadedTarball } from './publishDocument.ts';
import { RegistryError } from './RegistryError.ts';
import type { AbbreviatedPackument, Manifest, Packument } from './types.ts';

/** What npm itself sends when it wants the abbreviated document but can live with the full one. */
const ABBREVIATED_ACCEPT = `${NpmMediaType.ABBREVIATED}; q=1.0, ${NpmMediaType.FULL}; q=0.8, */*`;
const SERVICE = 'npm registry';

export interface RegistryClientOptions {
  /** Base URL of the registry; a path prefix is kept (`https://host/npm/`). */
  registry: string;
  /** Bearer token, sent only to URLs under `registry`. */
  token?: string;
  /** Limit for each attempt, in milliseconds; for tarballs, for each chunk. Defaults to 30 s. */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls after network errors, timeouts, 5xx and 429. Defaults to 2. */
  retries?: number;
  /** First backoff pause, doubling per retry, when the server sends no `Retry-After`. Defaults to 500 ms. */
  retryDelayMs?: number;
  userAgent?: string;
}

export interface PackumentOptions {
  /** Ask for the abbreviated ("corgi") document an install needs. */
  abbreviated?: boolean;
  /** The ETag of a cached copy: an unchanged packument then answers `{ status: 304 }`. */
  etag?: string;
  signal?: AbortSignal;
}

export interface FetchedPackument<T> {
  status: 200;
  etag?: string;
  /** The bytes as the registry sent them, for storing or relaying unchanged. */
  body: Buffer;
  /** The parsed body (parsed on first call). */
  document(): T;
}

/** A fresh document, `{ status: 304 }` when the cached ETag still holds, or undefined when the package does not exist. */
export type PackumentResult<T> = FetchedPackument<T> | { status: 304 } | undefined;

export interface Tarball {
  /** The bytes as they arrive; stop iterating (or call `return()`) to cancel the download. */
  body: AsyncGenerator<Uint8Array, void, undefined>;
  /** Bytes to expect, when the registry said so. */
  size?: number;
}

/** An answer to `get` or `post`, relayed as it came. */
export interface RelayedAnswer {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

/**
 * Where to send a tarball straight to the registry's storage (our registry's `POST
 * -/myorg/v1/uploads`): PUT it to `url` with `headers`, before `expiresAt`, at most `maxBytes`,
 * then publish it by `id`.
 */
export interface DirectUpload {
  id: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  expiresAt: string;
  maxBytes: number;
}

/** Client errors a POST's caller relays itself; 429, like 5xx, is the registry failing. */
const CLIENT_ERRORS = Array.from({ length: 100 }, (_, index) => 400 + index).filter(
  (status) => status !== 429,
);

interface Call {
  method: 'GET' | 'PUT' | 'DELETE' | 'POST';
  url: URL;
  /** Only idempotent calls are retried; a repeated publish could report its own success as a conflict. */
  idempotent: boolean;
  accept?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Ask every cache between us and the registry to pass the request on. */
  fresh?: boolean;
  signal?: AbortSignal | undefined;
  /** Statuses besides 2xx that the reader handles itself (304, 404). */
  handles?: readonly number[];
}

type Reader<T> = (response: HttpAnswer, deadline: AttemptDeadline, target: string) => Promise<T>;

/**
 * A client for the npm registry protocol, shared by the upstream proxy, the release pipeline and
 * the benchmarks. Every call has a per-attempt time limit, idempotent calls are retried with
 * backoff, and failures are AppErrors: `RegistryError` when the registry answered with an error
 * status, a 504 `ETIMEDOUT` when it did not answer in time, a 502 with the system code when it
 * could not be reached.
 */
export class RegistryClient {
  /** The normalised base URL, always ending in `/`, without credentials. */
  readonly registry: string;
  readonly #authorization: string | undefined;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #userAgent: string;

  constructor(options: RegistryClientOptions) {
    const base = parseRegistryUrl(options.registry);
    // Credentials written into the URL become Basic auth, sent only to the registry's own URLs.
    const basic = base.username
      ? Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString(
          'base64',
        )
      : undefined;
    base.username = '';
    base.password = '';
    this.registry = base.href;
    this.#authorization = options.token ? `Bearer ${options.token}` : basic && `Basic ${basic}`;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retries = options.retries ?? 2;
    this.#retryDelayMs = options.retryDelayMs ?? 500;
    this.#userAgent = options.userAgent ?? `@myorg/services node/${process.versions.node}`;
  }

  /** The packument of `name`, conditional on `etag` when given. */
  getPackument(
    name: string,
    options: PackumentOptions & { abbreviated: true },
  ): Promise<PackumentResult<AbbreviatedPackument>>;
  getPackument(name: string, options?: PackumentOptions): Promise<PackumentResult<Packument>>;
  async getPackument(
    name: string,
    options: PackumentOptions = {},
  ): Promise<PackumentResult<Packument | AbbreviatedPackument>> {
    const call: Call = {
      method: 'GET',
      url: this.#url(escapePackageName(name)),
      idempotent: true,
      accept: options.abbreviated ? ABBREVIATED_ACCEPT : NpmMediaType.FULL,
      headers: options.etag ? { [Header.IF_NONE_MATCH]: options.etag } : {},
      signal: options.signal,
      handles: [304, 404],
    };
    return this.#call(call, async (response, _deadline, target) => {
      if (response.status === 404) return discard(response, undefined);
      if (response.status === 304) return discard(response, { status: 304 as const });
      const body = await bytes(response);
      const etag = response.header(Header.ETAG);
      let parsed: Packument | AbbreviatedPackument | undefined;
      return {
        status: 200 as const,
        ...(etag === undefined ? {} : { etag }),
        body,
        document: () => {
          parsed ??= parseBody<Packument>(body, target);
          return parsed;
        },
      };
    });
  }

  /** The manifest of one version, by exact version or dist-tag; undefined when either is unknown. */
  async getManifest(
    name: string,
    versionOrTag: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<Manifest | undefined> {
    const found = await this.getPackument(name, options);
    if (found?.status !== 200) return undefined;
    const packument = found.document();
    // Optional chaining because the document comes from elsewhere and may lack either map.
    const version = packument['dist-tags']?.[versionOrTag] ?? versionOrTag;
    return packument.versions?.[version];
  }

  /**
   * Whether `name@version` is published, asked past every cache (`Cache-Control: no-cache`)
   * because the release pipeline acts on the answer.
   */
  async hasVersion(name: string, version: string): Promise<boolean> {
    const call: Call = {
      method: 'GET',
      url: this.#url(escapePackageName(name)),
      idempotent: true,
      accept: ABBREVIATED_ACCEPT,
      fresh: true,
      handles: [404],
    };
    return this.#call(call, async (response, _deadline, target) => {
      if (response.status === 404) return discard(response, false);
      const packument = parseBody<AbbreviatedPackument>(await bytes(response), target);
      return Object.hasOwn(packument.versions ?? {}, version);
    });
  }

  /**
   * Streams a tarball. `url` is usually a manifest's `dist.tarball`; a relative one is resolved
   * against the registry. The token goes only to URLs under the registry.
   */
  async getTarball(url: string, options: { signal?: AbortSignal } = {}): Promise<Tarball> {
    const target = new URL(url, this.registry);
    if (target.username || target.password) {
      throw new BadRequestError(`tarball URL must not carry credentials: ${redactUrl(target)}`);
    }
    const call: Call = {
      method: 'GET',
      url: target,
      idempotent: true,
      accept: '*/*',
      signal: options.signal,
    };
    return this.#call(call, async (response, deadline, shown) => {
      const body = guardedBody(response.body, deadline, (error) =>
        transportError(error, { service: SERVICE, method: 'GET', target: shown, deadline }),
      );
      const length = response.header(Header.CONTENT_LENGTH);
      // With a content encoding, the length counts compressed bytes, not what the stream yields.
      const known = length !== undefined && response.header(Header.CONTENT_ENCODING) === undefined;
      return known ? { body, size: Number(length) } : { body };
    });
  }

  /**
   * Publishes one version with the body npm's own client sends; for a tarball given as a direct
   * upload, the attachment names the upload instead of carrying it. Never retried.
   */
  async publish(
    manifest: Manifest,
    tarball: Uint8Array | UploadedTarball,
    options: PublishOptions = {},
  ): Promise<void> {
    const document = publishDocument(this.registry, manifest, tarball, options);
    const call: Call = {
      method: 'PUT',
      url: this.#url(escapePackageName(manifest.name)),
      idempotent: false,
      body: JSON.stringify(document),
    };
    await this.#call(call, (response) => discard(response, undefined));
  }

  /**
   * POSTs a JSON document to `path` under the registry (the audit endpoints have no call of their
   * own) and answers what came back, client errors included; 5xx and 429 fail as RegistryError.
   * Never retried.
   */
  async post(path: string, document: unknown): Promise<RelayedAnswer> {
    const call: Call = {
      method: 'POST',
      url: this.#url(path),
      idempotent: false,
      body: JSON.stringify(document),
      handles: CLIENT_ERRORS,
    };
    return this.#call(call, relay);
  }

  /**
   * GETs `path` under the registry (the signing keys, a version's attestations: documents with no
   * call of their own) and answers what came back, client errors included; 5xx and 429 fail as
   * RegistryError.
   */
  async get(path: string): Promise<RelayedAnswer> {
    const call: Call = { method: 'GET', url: this.#url(path), idempotent: true, handles: CLIENT_ERRORS };
    return this.#call(call, relay);
  }

  /**
   * Asks for a direct upload; undefined when the registry offers none (any other registry, or ours
   * on storage that cannot sign URLs, answers 404 or 405). Never retried: each call is a new upload.
   */
  async requestUpload(): Promise<DirectUpload | undefined> {
    const call: Call = {
      method: 'POST',
      url: this.#url('-/myorg/v1/uploads'),
      idempotent: false,
      handles: [404, 405],
    };
    return this.#call(call, async (response, deadline, target) => {
      if (response.status === 404 || response.status === 405) return discard(response, undefined);
      const offered = await readJson<unknown>(response, deadline, target);
      if (!isDirectUpload(offered))
        throw new BadGatewayError(`${SERVICE} sent no usable upload for ${target}`);
      return offered;
    });
  }

  /**
   * npm's trusted-publishing exchange: this client's token is a CI job's OIDC id-token, and the
   * answer a short-lived registry token that may publish `name`. A refusal fails as RegistryError
   * with the registry's reason (401: the id-token; 403: no trusted publisher matches). Never retried.
   */
  async exchangeIdToken(name: string): Promise<string> {
    const call: Call = {
      method: 'POST',
      url: this.#url(`-/npm/v1/oidc/token/exchange/package/${escapePackageName(name)}`),
      idempotent: false,
    };
    const { token } = await this.#call(call, readJson<{ token?: unknown }>);
    if (typeof token !== 'string' || token === '') {
      throw new BadGatewayError(`${SERVICE} sent no token for the trusted-publishing exchange of ${name}`);
    }
    return token;
  }

  /** The dist-tags of `name` (`{ latest: '1.2.3' }`). */
  async distTags(name: string): Promise<Record<string, string>> {
    const call: Call = { method: 'GET', url: this.#distTagsUrl(name), idempotent: true };
    return this.#call(call, readJson<Record<string, string>>);
  }

  /** Points `tag` at `version`. */
  async setDistTag(name: string, tag: string, version: string): Promise<void> {
    const call: Call = {
      method: 'PUT',
      url: this.#distTagsUrl(name, tag),
      idempotent: true,
      body: JSON.stringify(version),
    };
    await this.#call(call, (response) => discard(response, undefined));
  }

  /** Removes `tag` from `name`. */
  async removeDistTag(name: string, tag: string): Promise<void> {
    const call: Call = { method: 'DELETE', url: this.#distTagsUrl(name, tag), idempotent: true };
    await this.#call(call, (response) => discard(response, undefined));
  }

  /** The user name the token belongs to. */
  async whoami(): Promise<string> {
    const call: Call = { method: 'GET', url: this.#url('-/whoami'), idempotent: true };
    const { username } = await this.#call(call, readJson<{ username?: unknown }>);
    if (typeof username !== 'string')
      throw new BadGatewayError(`${SERVICE} sent no username for GET -/whoami`);
    return username;
  }

  /** True when the registry answers its ping endpoint; false for any failure. */
  async ping(): Promise<boolean> {
    const call: Call = { method: 'GET', url: this.#url('-/ping'), idempotent: true };
    try {
      await this.#call(call, (response) => discard(response, undefined));
      return true;
    } catch {
      return false;
    }
  }

  #url(path: string): URL {
    return new URL(path, this.registry);
  }

  #distTagsUrl(name: string, tag?: string): URL {
    if (tag === '') throw new BadRequestError('a dist-tag must not be empty');
    const tail = tag === undefined ? '' : `/${encodeURIComponent(tag)}`;
    return this.#url(`-/package/${escapePackageName(name)}/dist-tags${tail}`);
  }

  /** Runs `call`, retrying when it may, and hands the accepted response to `read` within the attempt's time limit. */
  #call<T>(call: Call, read: Reader<T>): Promise<T> {
    const target = redactUrl(call.url);
    const headers: Record<string, string> = {
      [Header.ACCEPT]: call.accept ?? ContentType.JSON,
      'user-agent': this.#userAgent,
      ...call.headers,
    };
    if (this.#authorization && call.url.href.startsWith(this.registry)) {
      headers[Header.AUTHORIZATION] = this.#authorization;
    }
    if (call.body !== undefined) headers[Header.CONTENT_TYPE] = ContentType.JSON;
    if (call.fresh) headers[Header.CACHE_CONTROL] = 'no-cache';

    const attempt = async (): Promise<T> => {
      const deadline = new AttemptDeadline(this.#timeoutMs, call.signal);
      try {
        const response = await httpRequest(call.url, {
          method: call.method,
          headers,
          body: call.body,
          signal: deadline.signal,
        });
        const ok = response.status >= 200 && response.status < 300;
        if (!ok && !call.handles?.includes(response.status)) {
          throw await RegistryError.fromResponse(response, call.method, target);
        }
        return await read(response, deadline, target);
      } catch (error) {
        throw isAppError(error)
          ? error
          : transportError(error, { service: SERVICE, method: call.method, target, deadline });
      } finally {
        deadline.clear();
      }
    };
    return withRetries(attempt, {
      retries: call.idempotent ? this.#retries : 0,
      retryDelayMs: this.#retryDelayMs,
      signal: call.signal,
    });
  }
}

function parseRegistryUrl(registry: string): URL {
  let base: URL;
  try {
    base = new URL(registry);
  } catch {
    throw new BadRequestError('the registry option must be an absolute URL');
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  return base;
}

function isDirectUpload(value: unknown): value is DirectUpload {
  if (!isPlainObject(value)) return false;
  const { id, url, method, headers, expiresAt, maxBytes } = value;
  return (
    typeof id === 'string' &&
    typeof url === 'string' &&
    typeof method === 'string' &&
    isPlainObject(headers) &&
    Object.values(headers).every((header) => typeof header === 'string') &&
    typeof expiresAt === 'string' &&
    typeof maxBytes === 'number'
  );
}

async function relay(response: HttpAnswer): Promise<RelayedAnswer> {
  return {
    status: response.status,
    contentType: response.header(Header.CONTENT_TYPE),
    body: await bytes(response),
  };
}

/** Releases the connection of a response whose body nobody needs, then answers `value`. */
async function discard<T>(response: HttpAnswer, value: T): Promise<T> {
  release(response);
  return value;
}

async function readJson<T>(response: HttpAnswer, _deadline: AttemptDeadline, target: string): Promise<T> {
  return parseBody<T>(await bytes(response), target);
}

/** Parses a registry document; `__proto__` keys are dropped, since the proxy merges what it relays. */
function parseBody<T>(body: Buffer, target: string): T {
  const parsed = safeJsonParse<T>(body);
  if (parsed.ok) return parsed.value;
  throw new BadGatewayError(`${SERVICE} sent invalid JSON for ${target}`, { cause: parsed.error });
}
