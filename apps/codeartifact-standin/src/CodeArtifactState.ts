import { randomBytes } from 'node:crypto';
import { conflict, invalid, notFound } from './AwsServiceError.ts';

const DOMAIN_NAME = /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/;
const REPOSITORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/;

/** External connections the stand-in knows, with the package format each serves. */
const EXTERNAL_CONNECTIONS: Record<string, string> = {
  'public:npmjs': 'npm',
  'public:pypi': 'pypi',
  'public:maven-central': 'maven',
  'public:nuget-org': 'nuget',
};

export interface DomainRecord {
  name: string;
  owner: string;
  createdTime: Date;
}

export interface RepositoryRecord {
  name: string;
  domain: string;
  description: string | undefined;
  upstreams: string[];
  externalConnections: string[];
  createdTime: Date;
}

export interface TokenRecord {
  domain: string;
  owner: string;
  expiresAt: Date;
}

/**
 * What the stand-in remembers: domains, repositories and the tokens it minted, in memory. Every
 * rule the real service enforces on these operations (name patterns, one external connection per
 * repository, existing upstreams, token lifetimes) is checked here and reported with the same
 * exception types. Tokens are random and opaque, like the real ones.
 */
/** What CreateRepository and UpdateRepository may set; each field only when given. */
export interface RepositoryOptions {
  description?: string;
  upstreams?: string[];
}

export class CodeArtifactState {
  readonly account: string;
  readonly region: string;
  readonly #now: () => Date;
  readonly #domains = new Map<string, DomainRecord>();
  readonly #repositories = new Map<string, RepositoryRecord>();
  readonly #tokens = new Map<string, TokenRecord>();

  constructor(options: { account: string; region: string; now?: () => Date }) {
    this.account = options.account;
    this.region = options.region;
    this.#now = options.now ?? (() => new Date());
  }

  /** The domain owned by `owner` (the stand-in's account when omitted). */
  domain(name: string, owner: string | undefined): DomainRecord {
    const domain = this.#domains.get(name);
    if (domain === undefined || (owner !== undefined && owner !== domain.owner)) {
      throw notFound('domain', name, `Domain ${name} does not exist in account ${owner ?? this.account}`);
    }
    return domain;
  }

  createDomain(name: string): DomainRecord {
    if (!DOMAIN_NAME.test(name))
      throw invalid(`domain name ${JSON.stringify(name)} does not match ${DOMAIN_NAME.source}`);
    if (this.#domains.has(name)) throw conflict('domain', name, `Domain ${name} already exists`);
    const domain = { name, owner: this.account, createdTime: this.#now() };
    this.#domains.set(name, domain);
    return domain;
  }

  repositoriesOf(domain: string): RepositoryRecord[] {
    return [...this.#repositories.values()].filter((repository) => repository.domain === domain);
  }

  repository(domain: string, owner: string | undefined, name: string): RepositoryRecord {
    this.domain(domain, owner);
    const repository = this.#repositories.get(`${domain}/${name}`);
    if (repository === undefined) {
      throw notFound('repository', name, `Repository ${name} does not exist in domain ${domain}`);
    }
    return repository;
  }

  createRepository(
    domain: string,
    owner: string | undefined,
    name: string,
    options: RepositoryOptions,
  ): RepositoryRecord {
    this.domain(domain, owner);
    if (!REPOSITORY_NAME.test(name)) {
      throw invalid(`repository name ${JSON.stringify(name)} does not match ${REPOSITORY_NAME.source}`);
    }
    if (this.#repositories.has(`${domain}/${name}`)) {
      throw conflict('repository', name, `Repository ${name} already exists in domain ${domain}`);
    }
    const upstreams = this.#checkUpstreams(domain, owner, name, options.upstreams ?? []);
    const repository: RepositoryRecord = {
      name,
      domain,
      description: options.description,
      upstreams,
      externalConnections: [],
      createdTime: this.#now(),
    };
    this.#repositories.set(`${domain}/${name}`, repository);
    return repository;
  }

  updateRepository(
    domain: string,
    owner: string | undefined,
    name: string,
    options: RepositoryOptions,
  ): RepositoryRecord {
    const repository = this.repository(domain, owner, name);
    if (options.upstreams !== undefined) {
      repository.upstreams = this.#checkUpstreams(domain, owner, name, options.upstreams);
    }
    if (options.description !== undefined) repository.description = options.description;
    return repository;
  }

  #checkUpstreams(domain: string, owner: string | undefined, name: string, upstreams: string[]): string[] {
    for (const upstream of upstreams) {
      if (upstream === name) throw invalid(`repository ${name} cannot be its own upstream`);
      this.repository(domain, owner, upstream);
    }
    return [...upstreams];
  }

  associateExternalConnection(
    domain: string,
    owner: string | undefined,
    name: string,
    connection: string,
  ): RepositoryRecord {
    const repository = this.repository(domain, owner, name);
    if (EXTERNAL_CONNECTIONS[connection] === undefined) {
      throw invalid(`unknown external connection ${JSON.stringify(connection)}`);
    }
    if (repository.externalConnections.length > 0) {
      throw conflict(
        'repository',
        name,
        `Repository ${name} already has the external connection ${repository.externalConnections[0]}`,
      );
    }
    repository.externalConnections.push(connection);
    return repository;
  }

  packageFormatOf(connection: string): string {
    return EXTERNAL_CONNECTIONS[connection] ?? 'npm';
  }

  /** A new token for the domain. `durationSeconds` 0 stands for the role session's lifetime: one hour here. */
  mintToken(
    domain: string,
    owner: string | undefined,
    durationSeconds: number | undefined,
  ): TokenRecord & { token: string } {
    const record = this.domain(domain, owner);
    const seconds = durationSeconds ?? 43_200;
    if (!Number.isInteger(seconds) || (seconds !== 0 && (seconds < 900 || seconds > 43_200))) {
      throw invalid('durationSeconds must be 0 or between 900 and 43200');
    }
    const token = randomBytes(48).toString('base64url');
    const expiresAt = new Date(this.#now().getTime() + (seconds === 0 ? 3600 : seconds) * 1000);
    const minted = { domain, owner: record.owner, expiresAt };
    this.#tokens.set(token, minted);
    return { ...minted, token };
  }

  /** Whether `token` was minted for the domain and has not expired. */
  acceptsToken(token: string, domain: string, owner: string): boolean {
    const record = this.#tokens.get(token);
    return (
      record !== undefined &&
      record.domain === domain &&
      record.owner === owner &&
      this.#now().getTime() < record.expiresAt.getTime()
    );
  }
}
