import { Header } from '@myorg/constants';
import { type Logger, noopLogger } from '@myorg/logger';
import type { Handler, HttpRequest, RequestContext } from '@myorg/middleware';
import { json } from '@myorg/response';
import type { ObjectStorage } from '@myorg/storage';
import { AwsServiceError } from './AwsServiceError.ts';
import { awsErrorResponse } from './awsResponses.ts';
import { CodeArtifactState } from './CodeArtifactState.ts';
import { controlPlane } from './controlPlane.ts';
import { NpmRepositories, tokenOf } from './npmRepositories.ts';
import { isStsRequest, sts } from './sts.ts';

export interface CodeArtifactStandInOptions {
  /** The 12-digit account that owns every domain. Defaults to 000000000000. */
  account?: string;
  region?: string;
  /** Where each repository keeps its packages; memory by default. */
  storageFor?: (domain: string, repository: string) => ObjectStorage;
  logger?: Logger;
  now?: () => Date;
}

export interface CodeArtifactStandIn {
  handler: Handler;
  state: CodeArtifactState;
}

// `/<domain>-<owner>/npm/<repository>`: the path part of CodeArtifact's
// `https://<domain>-<owner>.d.codeartifact.<region>.amazonaws.com/npm/<repository>/`, moved from
// the host name into the path so that one loopback address serves every domain.
const NPM_PREFIX =
  /^\/([a-z][a-z0-9-]{0,48}[a-z0-9])-(\d{12})\/npm\/([A-Za-z0-9][A-Za-z0-9._-]{1,99})(?=\/|$)/;

/**
 * The CodeArtifact stand-in as one transport-free handler: the REST control plane under `/v1/`,
 * STS GetCallerIdentity at `POST /`, and each repository's npm endpoint served by our registry.
 */
export function createCodeArtifactStandIn(options: CodeArtifactStandInOptions = {}): CodeArtifactStandIn {
  const state = new CodeArtifactState({
    account: options.account ?? '000000000000',
    region: options.region ?? 'us-east-1',
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const npm = new NpmRepositories(state, {
    ...(options.storageFor === undefined ? {} : { storageFor: options.storageFor }),
    logger: options.logger ?? noopLogger,
  });
  const endpointOf = (req: HttpRequest, domain: string, owner: string, repository: string) => {
    const protocol = req.headers[Header.X_FORWARDED_PROTO] ?? 'http';
    return `${protocol}://${req.headers.host}/${domain}-${owner}/npm/${repository}/`;
  };

  const npmEndpoint = async (req: HttpRequest, ctx: RequestContext, match: RegExpExecArray) => {
    const [prefix, domain, owner, repository] = match as unknown as [string, string, string, string];
    try {
      state.repository(domain, owner, repository);
    } catch {
      return json(404, { error: `no repository ${repository} in domain ${domain}-${owner}` });
    }
    const token = tokenOf(req.headers.authorization);
    if (token === undefined || !state.acceptsToken(token, domain, owner)) {
      // CodeArtifact serves nothing, reads included, without a valid token for the domain.
      return json(
        401,
        { error: 'Unable to authenticate: a valid CodeArtifact token for this domain is required' },
        {
          [Header.WWW_AUTHENTICATE]: `Bearer realm="${domain}-${owner}"`,
        },
      );
    }
    const forwarded = { ...req, headers: { ...req.headers, [Header.X_FORWARDED_PREFIX]: prefix } };
    return npm.registry(domain, owner, repository)(forwarded, ctx);
  };

  const handler: Handler = async (req, ctx) => {
    const match = NPM_PREFIX.exec(req.path);
    if (match !== null) return npmEndpoint(req, ctx, match);
    if (req.path.startsWith('/v1/')) return controlPlane(req, { state, npm, endpointOf });
    if (isStsRequest(req)) return sts(req, state.account);
    return awsErrorResponse(
      new AwsServiceError('UnknownOperationException', 404, `nothing at ${req.method} ${req.path}`),
    );
  };
  return { handler, state };
}
