import { DescribeDomainCommand, DescribeRepositoryCommand } from '@aws-sdk/client-codeartifact';
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { AppError } from '@myorg/error';
import { awsCall, isAccessDenied, isNotFound, troubleOf } from '../aws/awsErrors.ts';
import { callerIdentity, isRootUser } from '../aws/callerIdentity.ts';
import type { CommandContext } from '../cli/commandContext.ts';
import { getAuthorizationToken, getRepositoryEndpoint } from '../codeartifact/repositoryAccess.ts';
import { codeartifactArns } from '../iam/policies.ts';
import type { CheckResult } from './CheckResult.ts';
import type { TroubleKey } from './troubleshooting.ts';

function failure(name: string, error: unknown, action: string, notFound?: TroubleKey): CheckResult {
  const trouble = isNotFound(error) && notFound !== undefined ? notFound : troubleOf(error, action);
  const fix =
    error instanceof AppError && typeof error.details?.fix === 'string' ? error.details.fix : undefined;
  return {
    name,
    status: 'fail',
    detail: error instanceof Error ? error.message : String(error),
    ...(trouble === undefined ? {} : { trouble }),
    ...(fix === undefined || trouble !== undefined ? {} : { fix }),
  };
}

/**
 * The role ARN IAM can simulate for the caller: an assumed-role session maps to its role (path
 * unknown, so only roles at `/` resolve), users and roles are used as they are.
 */
export function simulationArn(callerArn: string): string {
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return session === null ? callerArn : `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
}

export interface AwsCheckOutcome {
  results: CheckResult[];
  registryUrl?: string;
  token?: string;
}

/**
 * The AWS side, in dependency order: credentials, domain, repositories, token, endpoint, publish
 * permissions, and whether the endpoint accepts the token. A failed prerequisite skips what needs it.
 */
export async function awsChecks(
  context: CommandContext,
  fetchImpl: typeof fetch = fetch,
): Promise<AwsCheckOutcome> {
  const { config, clients } = context;
  const results: CheckResult[] = [];
  const skip = (name: string, why: string) => results.push({ name, status: 'skipped', detail: why });

  let arn: string;
  let owner: string;
  try {
    const identity = await callerIdentity(clients.sts);
    arn = identity.arn;
    owner = config.account ?? identity.account;
    results.push(
      isRootUser(arn)
        ? { name: 'Credentials', status: 'fail', detail: arn, trouble: 'rootUser' }
        : { name: 'Credentials', status: 'ok', detail: arn },
    );
  } catch (error) {
    results.push(failure('Credentials', error, 'GetCallerIdentity'));
    for (const name of [
      'Domain',
      'Repositories',
      'Token',
      'Endpoint',
      'Publish permissions',
      'Endpoint access',
    ]) {
      skip(name, 'needs working credentials');
    }
    return { results };
  }

  const { domain } = config;
  let domainOk = false;
  try {
    await awsCall('DescribeDomain', () =>
      clients.codeartifact.send(new DescribeDomainCommand({ domain, domainOwner: owner })),
    );
    results.push({ name: 'Domain', status: 'ok', detail: `${domain} (owner ${owner})` });
    domainOk = true;
  } catch (error) {
    results.push(failure('Domain', error, 'DescribeDomain', 'domainMissing'));
  }

  if (domainOk) results.push(await checkRepositories(context, owner));
  else skip('Repositories', 'needs the domain');

  let token: string | undefined;
  try {
    token = (await getAuthorizationToken(clients.codeartifact, { domain, owner, durationSeconds: 900 }))
      .token;
    results.push({ name: 'Token', status: 'ok', detail: 'GetAuthorizationToken works' });
  } catch (error) {
    results.push(failure('Token', error, 'GetAuthorizationToken', 'domainMissing'));
  }

  let registryUrl: string | undefined;
  try {
    registryUrl = await getRepositoryEndpoint(clients.codeartifact, {
      domain,
      owner,
      repository: config.repository,
    });
    results.push({ name: 'Endpoint', status: 'ok', detail: registryUrl });
  } catch (error) {
    results.push(failure('Endpoint', error, 'GetRepositoryEndpoint', 'repositoryMissing'));
  }

  results.push(await checkPublishPermissions(context, arn, owner));

  if (registryUrl === undefined || token === undefined)
    skip('Endpoint access', 'needs the token and the endpoint');
  else results.push(await checkEndpointAccess(registryUrl, token, config.scope, fetchImpl));
  return {
    results,
    ...(registryUrl === undefined ? {} : { registryUrl }),
    ...(token === undefined ? {} : { token }),
  };
}

async function checkRepositories(context: CommandContext, owner: string): Promise<CheckResult> {
  const { config, clients } = context;
  const name = 'Repositories';
  const describe = (repository: string) =>
    awsCall('DescribeRepository', () =>
      clients.codeartifact.send(
        new DescribeRepositoryCommand({ domain: config.domain, domainOwner: owner, repository }),
      ),
    );
  try {
    const main = (await describe(config.repository)).repository;
    const upstreams = (main?.upstreams ?? []).map((upstream) => upstream.repositoryName);
    if (config.upstreamRepository !== undefined && !upstreams.includes(config.upstreamRepository)) {
      return {
        name,
        status: 'fail',
        detail: `${config.repository} lacks the upstream ${config.upstreamRepository}`,
        trouble: 'repositoryMissing',
      };
    }
    const connected =
      config.upstreamRepository === undefined ? main : (await describe(config.upstreamRepository)).repository;
    const connections = (connected?.externalConnections ?? []).map((info) => info.externalConnectionName);
    if (config.externalConnection !== undefined && !connections.includes(config.externalConnection)) {
      return {
        name,
        status: 'fail',
        detail: `${connected?.name} is not connected to ${config.externalConnection}`,
        trouble: 'repositoryMissing',
      };
    }
    const chain = [config.repository, config.upstreamRepository, config.externalConnection]
      .filter(Boolean)
      .join(' -> ');
    return { name, status: 'ok', detail: chain };
  } catch (error) {
    return failure(name, error, 'DescribeRepository', 'repositoryMissing');
  }
}

/** iam:SimulatePrincipalPolicy for the publish actions; a caller not allowed to simulate gets a warning. */
async function checkPublishPermissions(
  context: CommandContext,
  callerArn: string,
  owner: string,
): Promise<CheckResult> {
  const name = 'Publish permissions';
  const arns = codeartifactArns(context.config, owner);
  const probe = arns.scopePackages.replace(/\*$/, 'doctor-probe');
  const groups: [string[], string][] = [
    [['codeartifact:GetAuthorizationToken'], arns.domain],
    [['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository'], arns.repository],
    [['codeartifact:DescribePackageVersion', 'codeartifact:PublishPackageVersion'], probe],
  ];
  const denied: string[] = [];
  try {
    for (const [actions, resource] of groups) {
      const result = await awsCall('SimulatePrincipalPolicy', () =>
        context.clients.iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: simulationArn(callerArn),
            ActionNames: actions,
            ResourceArns: [resource],
          }),
        ),
      );
      for (const evaluation of result.EvaluationResults ?? []) {
        if (evaluation.EvalDecision !== 'allowed') denied.push(evaluation.EvalActionName ?? '?');
      }
    }
  } catch (error) {
    if (isAccessDenied(error)) {
      return {
        name,
        status: 'warn',
        detail: 'not checked: the caller may not call iam:SimulatePrincipalPolicy',
      };
    }
    return { name, status: 'warn', detail: `not checked: ${(error as Error).message}` };
  }
  if (denied.length > 0)
    return { name, status: 'fail', detail: `denied: ${denied.join(', ')}`, trouble: 'accessDenied' };
  return { name, status: 'ok', detail: 'token, read and publish allowed' };
}

/** An authenticated GET of a package in the scope: 200 or 404 means the endpoint took the token. */
async function checkEndpointAccess(
  registryUrl: string,
  token: string,
  scope: string,
  fetchImpl: typeof fetch,
): Promise<CheckResult> {
  const name = 'Endpoint access';
  const url = `${registryUrl}${encodeURIComponent(`${scope}/myorg-admin-doctor-probe`)}`;
  try {
    const response = await fetchImpl(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(15_000),
    });
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) {
      return {
        name,
        status: 'fail',
        detail: `${response.status} from ${registryUrl}`,
        trouble: 'tokenRejected',
      };
    }
    if (response.status >= 500) {
      return {
        name,
        status: 'fail',
        detail: `${response.status} from ${registryUrl}`,
        trouble: 'endpointUnreachable',
      };
    }
    return { name, status: 'ok', detail: `${registryUrl} accepts the token` };
  } catch (error) {
    return {
      name,
      status: 'fail',
      detail: `${registryUrl}: ${(error as Error).message}`,
      trouble: 'endpointUnreachable',
    };
  }
}
