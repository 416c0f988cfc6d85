import { resolve } from 'node:path';
import { type AwsClients, createAwsClients } from '../aws/createAwsClients.ts';
import type { AdminConfig } from '../config/adminConfig.ts';
import { loadConfig } from '../config/loadConfig.ts';
import type { CliIo } from './CliIo.ts';

/** Options every command accepts; they win over the config file. */
export interface GlobalOptions {
  config: string;
  region?: string;
  profile?: string;
  /** SDK endpoint override, such as the CodeArtifact stand-in (`nx serve registry --codeartifact`). */
  endpointUrl?: string;
}

export interface CommandContext {
  config: AdminConfig;
  clients: AwsClients;
  /** The endpoint override in force, handed on to the shared publishing code. */
  endpoint: string | undefined;
  io: CliIo;
}

/** Loads the config (relative to the working directory) and builds the AWS clients from it. */
export async function loadCommandContext(options: GlobalOptions, io: CliIo): Promise<CommandContext> {
  const loaded = await loadConfig(resolve(io.cwd, options.config), io.env);
  const config: AdminConfig = {
    ...loaded,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  };
  const endpoint = options.endpointUrl ?? config.endpoint;
  const clients = createAwsClients({
    region: config.region,
    ...(config.profile === undefined ? {} : { profile: config.profile }),
    ...(endpoint === undefined ? {} : { endpoint }),
  });
  return { config, clients, endpoint, io };
}
