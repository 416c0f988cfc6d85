import { BadRequestError } from '@myorg/error';
import { createLogger, isLogLevel } from '@myorg/logger';
import { type RunningStandIn, startCodeArtifactStandIn } from './startCodeArtifactStandIn.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The settings of the stand-in mode, from the same PORT/HOST/LOG_LEVEL as the registry plus two of its own. */
export function standInSettings(env: Env) {
  const issues: string[] = [];
  const port = Number(env.PORT || 4873);
  if (!Number.isInteger(port) || port < 0 || port > 65535) issues.push('PORT: must be a port number');
  const account = env.CODEARTIFACT_ACCOUNT || '000000000000';
  if (!/^\d{12}$/.test(account)) issues.push('CODEARTIFACT_ACCOUNT: must be 12 digits');
  const level = env.LOG_LEVEL || 'info';
  if (!isLogLevel(level)) issues.push('LOG_LEVEL: must be debug, info, warn, error or silent');
  if (issues.length > 0)
    throw new BadRequestError(`invalid CodeArtifact stand-in configuration: ${issues.join('; ')}`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    account,
    region: env.CODEARTIFACT_REGION || env.AWS_REGION || 'us-east-1',
    logLevel: level as 'debug' | 'info' | 'warn' | 'error' | 'silent',
  };
}

/** What the mode prints once it listens: the first line ends with the URL, then how to point the CLI at it. */
export function standInBanner(url: string, account: string, region: string): string {
  return [
    `CodeArtifact stand-in listening on ${url}/`,
    `account ${account}, region ${region}; domains, repositories and packages live in memory`,
    `use it:  AWS_ENDPOINT_URL=${url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=${region} npx myorg-admin setup`,
    '',
  ].join('\n');
}

/** Starts the stand-in from the environment (`nx serve registry --codeartifact`). */
export async function serveCodeArtifact(env: Env): Promise<RunningStandIn & { banner: string }> {
  const settings = standInSettings(env);
  const running = await startCodeArtifactStandIn({
    host: settings.host,
    port: settings.port,
    account: settings.account,
    region: settings.region,
    logger: createLogger({ level: settings.logLevel }),
  });
  return { ...running, banner: standInBanner(running.url, settings.account, settings.region) };
}
