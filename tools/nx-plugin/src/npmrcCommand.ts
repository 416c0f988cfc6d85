import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveTarget, writeNpmrc } from '@myorg/services/publish';
import { loadPublishTarget } from './loadPublishTarget.ts';

/** The variable a generated `.npmrc` reads its token from, unless `--token-env` names another. */
export const DEFAULT_TOKEN_ENV = {
  codeartifact: 'CODEARTIFACT_AUTH_TOKEN',
  registry: 'MYORG_NPM_TOKEN',
} as const;

export const NPMRC_USAGE = `Usage: npm run npmrc -- --out <file> [--out <file> ...] [options]

Writes consumer .npmrc files for the publish target: the scope's registry line and its
//host/path/:_authToken= line. The target is chosen as for publishing: --registry, else
PUBLISH_REGISTRY_URL, else codeartifact-config.json (asks CodeArtifact for the endpoint).

  --out <file>        file to write (repeatable; relative to the workspace root)
  --registry <url>    any npm registry instead of the configured target
  --config <file>     CodeArtifact config file (default codeartifact-config.json)
  --scope <scope>     scope served by the registry (default @myorg)
  --token-env <name>  variable npm reads the token from (default CODEARTIFACT_AUTH_TOKEN for
                      CodeArtifact, MYORG_NPM_TOKEN otherwise)
  --write-token       write the token itself (PUBLISH_REGISTRY_TOKEN or a fresh CodeArtifact
                      token) instead of a \${VAR} reference; the file stays git-ignored
  --help              this text`;

export interface CommandIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  error: (line: string) => void;
}

/** The `npmrc` command: returns the exit code instead of exiting, so it can be tested and reused. */
export async function runNpmrcCommand(argv: string[], io: CommandIo): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string', multiple: true },
        registry: { type: 'string' },
        config: { type: 'string' },
        scope: { type: 'string', default: '@myorg' },
        'token-env': { type: 'string' },
        'write-token': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      io.log(NPMRC_USAGE);
      return 0;
    }
    const outputs = values.out ?? [];
    if (outputs.length === 0) throw new Error('give at least one --out <file>');
    if (values['write-token'] && values['token-env'])
      throw new Error('give --token-env or --write-token, not both');

    const target = await loadPublishTarget({
      workspaceRoot: io.cwd,
      env: io.env,
      ...(values.registry ? { registry: values.registry } : {}),
      ...(values.config ? { configFile: values.config } : {}),
    });
    const resolved = await resolveTarget(target, { env: io.env });
    const tokenEnvVar = values['token-env'] ?? DEFAULT_TOKEN_ENV[target.kind];
    if (values['write-token'] && resolved.token === undefined) {
      throw new Error('--write-token: the target has no token (set PUBLISH_REGISTRY_TOKEN)');
    }
    const secret = values['write-token'] ? { token: resolved.token as string } : { tokenEnvVar };
    for (const out of outputs) {
      const path = resolve(io.cwd, out);
      await writeNpmrc(path, { scope: values.scope, registryUrl: resolved.registryUrl, ...secret });
      const how = values['write-token'] ? 'token written in the file' : `token from \${${tokenEnvVar}}`;
      io.log(`wrote ${path}: ${values.scope} from ${resolved.registryUrl}, ${how}`);
    }
    return 0;
  } catch (error) {
    io.error(`npmrc: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
