import {
  CodeartifactClient,
  DescribePackageVersionCommand,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
} from '@aws-sdk/client-codeartifact';
import { BadGatewayError } from '@myorg/error';
import { codeArtifactError } from './codeArtifactError.ts';
import { npmPublish } from './npmPublish.ts';
import { withTrailingSlash } from './npmrc.ts';
import type { PublishTarget, ResolvedTarget } from './types.ts';

type CodeArtifactTarget = Extract<PublishTarget, { kind: 'codeartifact' }>;

async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw codeArtifactError(operation, error);
  }
}

/** `@scope/name` as CodeArtifact splits it: the scope without `@` is the namespace. */
function npmCoordinates(name: string): { namespace?: string; package: string } {
  const slash = name.indexOf('/');
  if (!name.startsWith('@') || slash < 0) return { package: name };
  return { namespace: name.slice(1, slash), package: name.slice(slash + 1) };
}

/**
 * Gets a token and the repository's npm endpoint through the SDK (credentials from the target's
 * profile, else the default chain: env, profile, SSO, role), and answers "already published?"
 * with DescribePackageVersion, which asks CodeArtifact itself rather than any npm cache.
 */
export async function resolveCodeArtifactTarget(target: CodeArtifactTarget): Promise<ResolvedTarget> {
  const { domain, repository, region, endpoint, profile, tokenDurationSeconds } = target;
  const domainOwner = target.domainOwner || undefined;
  // The profile goes to the client, never into process.env, where it would outlive this call.
  const client = new CodeartifactClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(profile ? { profile } : {}),
  });
  const [auth, repo] = await Promise.all([
    call('GetAuthorizationToken', () =>
      client.send(
        new GetAuthorizationTokenCommand({ domain, domainOwner, durationSeconds: tokenDurationSeconds }),
      ),
    ),
    call('GetRepositoryEndpoint', () =>
      client.send(new GetRepositoryEndpointCommand({ domain, domainOwner, repository, format: 'npm' })),
    ),
  ]);
  if (!auth.authorizationToken || !repo.repositoryEndpoint) {
    throw new BadGatewayError(`CodeArtifact returned no token or endpoint for ${domain}/${repository}`);
  }
  return {
    registryUrl: withTrailingSlash(repo.repositoryEndpoint),
    token: auth.authorizationToken,
    uploader: npmPublish,
    async isPublished(name, version) {
      const command = new DescribePackageVersionCommand({
        domain,
        domainOwner,
        repository,
        format: 'npm',
        ...npmCoordinates(name),
        packageVersion: version,
      });
      try {
        await client.send(command);
        return true;
      } catch (error) {
        if (error instanceof Error && error.name === 'ResourceNotFoundException') return false;
        throw codeArtifactError('DescribePackageVersion', error);
      }
    },
  };
}
