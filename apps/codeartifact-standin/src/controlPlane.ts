/**
 * The CodeArtifact control plane, as the AWS CodeArtifact API Reference (API version 2018-09-22)
 * documents it: the pages API_CreateDomain, API_DescribeDomain, API_CreateRepository,
 * API_DescribeRepository, API_UpdateRepository, API_AssociateExternalConnection,
 * API_GetAuthorizationToken, API_GetRepositoryEndpoint, API_DescribePackageVersion and
 * API_ListPackageVersions (Request Syntax: method, path, query parameters, JSON body; Response
 * Syntax; Errors), with the DomainDescription, RepositoryDescription, PackageVersionDescription and
 * PackageVersionSummary data types, and the REST-JSON error convention (`x-amzn-errortype`). Names
 * and shapes were cross-checked against the operation schemas of @aws-sdk/client-codeartifact.
 *
 * Requests must carry a SigV4 `Authorization` header, but the signature is NOT verified: any
 * access key works. This is a rehearsal tool on loopback, never a security boundary.
 */
import type { HttpRequest } from '@myorg/middleware';
import { readBody } from '@myorg/middleware';
import type { HttpResponse } from '@myorg/response';
import { AwsServiceError, invalid, notFound } from './AwsServiceError.ts';
import { awsErrorResponse, awsJson, epochSeconds } from './awsResponses.ts';
import type { CodeArtifactState, RepositoryOptions } from './CodeArtifactState.ts';
import { domainDescription, repositoryDescription } from './descriptions.ts';
import type { NpmRepositories } from './npmRepositories.ts';
import { npmName, packageVersionDescription, packageVersionSummaries } from './packageVersions.ts';

export interface ControlPlaneDeps {
  state: CodeArtifactState;
  npm: NpmRepositories;
  /** The npm endpoint of a repository as clients reach it (ends with "/"). */
  endpointOf(req: HttpRequest, domain: string, owner: string, repository: string): string;
}

type Operation = (req: HttpRequest, deps: ControlPlaneDeps) => Promise<unknown>;

function query(req: HttpRequest, name: string, required: true): string;
function query(req: HttpRequest, name: string, required?: false): string | undefined;
function query(req: HttpRequest, name: string, required = false): string | undefined {
  const value = req.query.get(name) ?? undefined;
  if (required && (value === undefined || value === ''))
    throw invalid(`the query parameter ${name} is required`);
  return value === '' ? undefined : value;
}

async function jsonBody(req: HttpRequest): Promise<Record<string, unknown>> {
  const bytes = await readBody(req, 1024 * 1024);
  if (bytes.byteLength === 0) return {};
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // Reported below, the same way as a body that is not an object.
  }
  throw new AwsServiceError('SerializationException', 400, 'the request body is not a JSON object');
}

function upstreamNames(body: Record<string, unknown>): string[] | undefined {
  if (body.upstreams === undefined) return undefined;
  if (!Array.isArray(body.upstreams)) throw invalid('upstreams must be a list');
  return body.upstreams.map((upstream: { repositoryName?: unknown }) => {
    if (typeof upstream?.repositoryName !== 'string') throw invalid('each upstream needs a repositoryName');
    return upstream.repositoryName;
  });
}

/** The body of CreateRepository and UpdateRepository: a description and upstreams, each when given. */
async function repositoryOptions(req: HttpRequest): Promise<RepositoryOptions> {
  const body = await jsonBody(req);
  const upstreams = upstreamNames(body);
  return {
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
    ...(upstreams === undefined ? {} : { upstreams }),
  };
}

/** The `domain`, `domain-owner` and `repository` query parameters every repository operation takes. */
function repositoryRef(req: HttpRequest): [domain: string, owner: string | undefined, repository: string] {
  return [query(req, 'domain', true), query(req, 'domain-owner'), query(req, 'repository', true)];
}

function npmOnly(req: HttpRequest): void {
  const format = query(req, 'format', true);
  if (format !== 'npm') throw invalid(`the stand-in serves the npm format only, not ${format}`);
}

async function packumentFor(req: HttpRequest, deps: ControlPlaneDeps) {
  const [domain, owner, repository] = repositoryRef(req);
  npmOnly(req);
  const namespace = query(req, 'namespace');
  const packageName = query(req, 'package', true);
  const record = deps.state.repository(domain, owner, repository);
  const domainOwner = deps.state.domain(domain, owner).owner;
  const name = npmName(namespace, packageName);
  const packument = await deps.npm.packument(domain, domainOwner, record.name, name);
  if (packument === undefined || Object.keys(packument.versions).length === 0) {
    throw notFound('package', name, `Package ${name} does not exist in repository ${repository}`);
  }
  return { packument, namespace, packageName, repository, name };
}

/** The operations, keyed `METHOD path` as the API reference's Request Syntax gives them. */
const operations: Record<string, Operation> = {
  // CreateDomain: POST /v1/domain?domain=
  'POST /v1/domain': async (req, { state }) => {
    await jsonBody(req);
    return { domain: domainDescription(state, state.createDomain(query(req, 'domain', true))) };
  },
  // DescribeDomain: GET /v1/domain?domain=&domain-owner=
  'GET /v1/domain': async (req, { state }) => ({
    domain: domainDescription(state, state.domain(query(req, 'domain', true), query(req, 'domain-owner'))),
  }),
  // CreateRepository: POST /v1/repository?domain=&domain-owner=&repository=  {description, upstreams}
  'POST /v1/repository': async (req, { state }) => {
    const options = await repositoryOptions(req);
    return {
      repository: repositoryDescription(state, state.createRepository(...repositoryRef(req), options)),
    };
  },
  // DescribeRepository: GET /v1/repository?domain=&domain-owner=&repository=
  'GET /v1/repository': async (req, { state }) => ({
    repository: repositoryDescription(state, state.repository(...repositoryRef(req))),
  }),
  // UpdateRepository: PUT /v1/repository?domain=&domain-owner=&repository=  {description, upstreams}
  'PUT /v1/repository': async (req, { state }) => {
    const options = await repositoryOptions(req);
    return {
      repository: repositoryDescription(state, state.updateRepository(...repositoryRef(req), options)),
    };
  },
  // AssociateExternalConnection: POST /v1/repository/external-connection?domain=&domain-owner=&repository=&external-connection=
  'POST /v1/repository/external-connection': async (req, { state }) => ({
    repository: repositoryDescription(
      state,
      state.associateExternalConnection(...repositoryRef(req), query(req, 'external-connection', true)),
    ),
  }),
  // GetAuthorizationToken: POST /v1/authorization-token?domain=&domain-owner=&duration=
  'POST /v1/authorization-token': async (req, { state }) => {
    const duration = query(req, 'duration');
    const seconds = duration === undefined ? undefined : Number(duration);
    const minted = state.mintToken(query(req, 'domain', true), query(req, 'domain-owner'), seconds);
    return { authorizationToken: minted.token, expiration: epochSeconds(minted.expiresAt) };
  },
  // GetRepositoryEndpoint: GET /v1/repository/endpoint?domain=&domain-owner=&repository=&format=
  'GET /v1/repository/endpoint': async (req, deps) => {
    const [domain, owner, name] = repositoryRef(req);
    const repository = deps.state.repository(domain, owner, name);
    npmOnly(req);
    const domainOwner = deps.state.domain(domain, undefined).owner;
    return { repositoryEndpoint: deps.endpointOf(req, domain, domainOwner, repository.name) };
  },
  // DescribePackageVersion: GET /v1/package/version?domain=&domain-owner=&repository=&format=&namespace=&package=&version=
  'GET /v1/package/version': async (req, deps) => {
    const version = query(req, 'version', true);
    const found = await packumentFor(req, deps);
    const manifest = found.packument.versions[version];
    if (manifest === undefined) {
      throw notFound(
        'package-version',
        `${found.name}@${version}`,
        `Package version ${found.name}@${version} does not exist`,
      );
    }
    return {
      packageVersion: packageVersionDescription(
        found.packument,
        manifest,
        found.namespace,
        found.packageName,
        version,
        found.repository,
      ),
    };
  },
  // ListPackageVersions: POST /v1/package/versions?domain=&domain-owner=&repository=&format=&namespace=&package=&status=&max-results=&next-token=
  'POST /v1/package/versions': async (req, deps) => {
    const found = await packumentFor(req, deps);
    const status = query(req, 'status');
    const maxResults = Number(query(req, 'max-results') ?? 50);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000)
      throw invalid('max-results must be 1 to 1000');
    const start = Number(query(req, 'next-token') ?? 0);
    if (!Number.isInteger(start) || start < 0) throw invalid('next-token is not one this service issued');
    const all = packageVersionSummaries(found.packument, found.repository).filter(
      (summary) => status === undefined || summary.status === status,
    );
    const page = all.slice(start, start + maxResults);
    return {
      defaultDisplayVersion: found.packument['dist-tags'].latest,
      format: 'npm',
      ...(found.namespace === undefined ? {} : { namespace: found.namespace }),
      package: found.packageName,
      versions: page,
      ...(start + maxResults < all.length ? { nextToken: String(start + maxResults) } : {}),
    };
  },
};

/** Whether the request is signed with SigV4. The signature itself is not checked: any key works. */
function isSigned(req: HttpRequest): boolean {
  return req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ') ?? false;
}

/** Serves the REST operations under `/v1/`. */
export async function controlPlane(req: HttpRequest, deps: ControlPlaneDeps): Promise<HttpResponse> {
  try {
    if (!isSigned(req)) {
      throw new AwsServiceError(
        'AccessDeniedException',
        403,
        'Missing Authentication Token: sign requests with SigV4',
      );
    }
    const operation = operations[`${req.method} ${req.path}`];
    if (operation === undefined) {
      throw new AwsServiceError('UnknownOperationException', 404, `no operation ${req.method} ${req.path}`);
    }
    return awsJson(200, await operation(req, deps));
  } catch (error) {
    return awsErrorResponse(error);
  }
}
