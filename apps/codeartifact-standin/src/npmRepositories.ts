import { type Logger, noopLogger } from '@myorg/logger';
import { createRequestContext, type Handler, type HttpRequest } from '@myorg/middleware';
import { type AuthProvider, createRegistry, type Packument } from '@myorg/registry';
import type { HttpResponse } from '@myorg/response';
import { MemoryStorage, type ObjectStorage } from '@myorg/storage';
import type { CodeArtifactState } from './CodeArtifactState.ts';

/** The credential npm sends: `Bearer <token>`, or Basic `aws:<token>` as CodeArtifact also accepts. */
export function tokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.startsWith('aws:') ? decoded.slice(4) : undefined;
}

/** Our registry accepts exactly the tokens GetAuthorizationToken minted for the repository's domain. */
function domainTokenAuth(state: CodeArtifactState, domain: string, owner: string): AuthProvider {
  return {
    name: 'codeartifact',
    async authenticate(authorization) {
      const token = tokenOf(authorization);
      if (token === undefined || !state.acceptsToken(token, domain, owner)) return undefined;
      return { name: `codeartifact-${owner}`, readOnly: false };
    },
    // CodeArtifact has no npm users, so `npm owner add` has nobody to add.
    userExists: async () => false,
    routes: () => [],
  };
}

async function bodyText(response: HttpResponse): Promise<string> {
  const { body } = response;
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One instance of our registry per CodeArtifact repository, created on first use, each with its
 * own storage (memory unless `storageFor` says otherwise) and an auth provider for the domain's tokens.
 */
export class NpmRepositories {
  readonly #state: CodeArtifactState;
  readonly #storageFor: (domain: string, repository: string) => ObjectStorage;
  readonly #logger: Logger;
  readonly #registries = new Map<string, Handler>();

  constructor(
    state: CodeArtifactState,
    options: { storageFor?: (domain: string, repository: string) => ObjectStorage; logger?: Logger } = {},
  ) {
    this.#state = state;
    this.#storageFor = options.storageFor ?? (() => new MemoryStorage());
    this.#logger = options.logger ?? noopLogger;
  }

  /** The registry serving `domain/repository`. */
  registry(domain: string, owner: string, repository: string): Handler {
    const key = `${domain}/${repository}`;
    let registry = this.#registries.get(key);
    if (registry === undefined) {
      registry = createRegistry({
        storage: this.#storageFor(domain, repository),
        auth: domainTokenAuth(this.#state, domain, owner),
        // The stand-in checks the caller's token before it forwards a request, as CodeArtifact does.
        publicRead: true,
      });
      this.#registries.set(key, registry);
    }
    return registry;
  }

  /** The packument of `name` in the repository, read through the registry itself; undefined when absent. */
  async packument(
    domain: string,
    owner: string,
    repository: string,
    name: string,
  ): Promise<Packument | undefined> {
    const path = `/${name.replace('/', '%2f')}`;
    const request: HttpRequest = {
      method: 'GET',
      url: path,
      path,
      query: new URLSearchParams(),
      headers: { host: 'localhost', accept: 'application/json' },
      body: undefined,
    };
    const response = await this.registry(
      domain,
      owner,
      repository,
    )(request, createRequestContext(this.#logger));
    // 400: a name npm could never have published, such as `@@scope/name`.
    if (response.status === 404 || response.status === 400) {
      await bodyText(response);
      return undefined;
    }
    const text = await bodyText(response);
    if (response.status !== 200) throw new Error(`reading ${name} answered ${response.status}: ${text}`);
    return JSON.parse(text) as Packument;
  }
}
