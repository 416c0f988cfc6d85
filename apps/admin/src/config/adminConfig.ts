import { parseDuration } from '@myorg/date';
import { z } from '@myorg/validation';

/** Shortest and longest token lifetimes GetAuthorizationToken accepts (its `durationSeconds`). */
export const MIN_TOKEN_SECONDS = 900;
export const MAX_TOKEN_SECONDS = 43_200;

/** A value left empty after `${VAR:-}` substitution counts as unset. */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const repositoryName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/, 'must be a CodeArtifact repository name');

const duration = (min: number, max: number, label: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    let ms: number;
    try {
      ms = parseDuration(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
    const seconds = Math.round(ms / 1000);
    if (seconds < min || seconds > max) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} must be between ${min / 60} minutes and ${max / 3600} hours`,
      });
      return z.NEVER;
    }
    return seconds;
  });

const codebuildSchema = z.object({
  projectName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9\-_]{1,254}$/, 'must be a CodeBuild project name'),
  /** `owner/name` of the GitHub repository the project builds. */
  githubRepository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name'),
  branch: z.string().min(1).default('main'),
  /** Only pushes touching these paths trigger a build (a FILE_PATH regex). */
  filePathPattern: z.string().min(1).default('^libs/'),
  /** A CodeBuild-managed image; Node 24 itself comes from the workspace's `node` devDependency. */
  image: z.string().min(1).default('aws/codebuild/amazonlinux-x86_64-standard:5.0'),
  computeType: z.string().min(1).default('BUILD_GENERAL1_SMALL'),
  buildspec: z.string().min(1).default('buildspec.yml'),
  /** The service role's name; defaults to `<projectName>-service-role`. */
  roleName: optionalText,
  /** The GitHub API root, for GitHub Enterprise Server or a stand-in. */
  githubApiUrl: optionalText,
});

/** `codeartifact-config.json`, after `${VAR}` substitution; see the README for every field. */
export const adminConfigSchema = z.object({
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1'),
  account: optionalText.pipe(
    z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
  ),
  profile: optionalText,
  domain: z.string().regex(/^[a-z][a-z0-9-]{0,48}[a-z0-9]$/, 'must be a CodeArtifact domain name'),
  repository: repositoryName,
  /**
   * The repository holding the external connection, set as the upstream of `repository` (AWS's
   * recommended topology). Empty: the connection goes on `repository` itself.
   */
  upstreamRepository: z
    .string()
    .trim()
    .default('npm-store')
    .transform((value) => (value === '' ? undefined : value))
    .pipe(repositoryName.optional()),
  /** Empty: no external connection. */
  externalConnection: z
    .string()
    .trim()
    .default('public:npmjs')
    .transform((value) => (value === '' ? undefined : value)),
  scope: z.string().regex(/^@[a-z0-9][a-z0-9._~-]*$/, 'must be an npm scope such as @myorg'),
  libsPath: z.string().min(1).default('libs'),
  /** Where `.npmrc` files go; none unless the config names them, never the workspace root by default. */
  consumerPaths: z.array(z.string().min(1)).default([]),
  tokenDuration: duration(MIN_TOKEN_SECONDS, MAX_TOKEN_SECONDS, 'tokenDuration').default(MAX_TOKEN_SECONDS),
  /** How the `.npmrc` files carry the token: a `${VAR}` reference (safe to commit) or the token itself. */
  npmrcToken: z.enum(['env', 'inline']).default('env'),
  tokenEnvVar: z
    .string()
    .regex(/^[A-Za-z_]\w*$/, 'must be an environment variable name')
    .default('CODEARTIFACT_AUTH_TOKEN'),
  /** SDK endpoint override for every AWS client: the loopback stand-in. */
  endpoint: optionalText.pipe(z.url().optional()),
  codebuild: codebuildSchema.optional(),
});

export type AdminConfig = z.infer<typeof adminConfigSchema> & {
  /** Directory of the config file: relative paths in it are relative to this. */
  baseDir: string;
};
export type CodeBuildConfig = z.infer<typeof codebuildSchema>;
