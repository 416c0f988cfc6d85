import {
  type CodeartifactClient,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
} from '@aws-sdk/client-codeartifact';
import { BadGatewayError } from '@myorg/error';
import { awsCall } from '../aws/awsErrors.ts';

export interface DomainRef {
  domain: string;
  owner: string;
}

/** The SDK's fields for the domain: every repository call names it and its owner. */
const domainFields = (ref: DomainRef) => ({ domain: ref.domain, domainOwner: ref.owner });

export interface AuthorizationToken {
  token: string;
  expiration: Date;
}

/** A token for every repository of the domain, valid `durationSeconds` (900–43200). */
export async function getAuthorizationToken(
  client: CodeartifactClient,
  ref: DomainRef & { durationSeconds: number },
): Promise<AuthorizationToken> {
  const result = await awsCall('GetAuthorizationToken', () =>
    client.send(
      new GetAuthorizationTokenCommand({ ...domainFields(ref), durationSeconds: ref.durationSeconds }),
    ),
  );
  if (!result.authorizationToken) throw new BadGatewayError('GetAuthorizationToken returned no token');
  const expiration = result.expiration ?? new Date(Date.now() + ref.durationSeconds * 1000);
  return { token: result.authorizationToken, expiration };
}

/** The repository's npm registry URL, always ending with "/" as npm requires. */
export async function getRepositoryEndpoint(
  client: CodeartifactClient,
  ref: DomainRef & { repository: string },
): Promise<string> {
  const result = await awsCall('GetRepositoryEndpoint', () =>
    client.send(
      new GetRepositoryEndpointCommand({ ...domainFields(ref), repository: ref.repository, format: 'npm' }),
    ),
  );
  if (!result.repositoryEndpoint) throw new BadGatewayError('GetRepositoryEndpoint returned no endpoint');
  return result.repositoryEndpoint.endsWith('/')
    ? result.repositoryEndpoint
    : `${result.repositoryEndpoint}/`;
}
