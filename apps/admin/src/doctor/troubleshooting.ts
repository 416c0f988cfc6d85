/**
 * Known failures and their fixes, from the CodeArtifact research notes and what broke in the seed
 * setups. `doctor` prints the matching entry for each failed check, failed AWS calls carry theirs
 * in `details.fix`, and `doctor --list` prints them all.
 */
export interface Trouble {
  id: string;
  symptom: string;
  fix: string;
}

export const troubles = {
  noCredentials: {
    id: 'no-credentials',
    symptom: 'No AWS credentials were found (CredentialsProviderError).',
    fix: 'Run `aws configure` or `aws sso login --profile <name>` and set AWS_PROFILE (or "profile" in the config); in CodeBuild the service role provides them.',
  },
  badCredentials: {
    id: 'bad-credentials',
    symptom: 'AWS rejected the credentials (expired session, unknown key, or signature mismatch).',
    fix: 'Refresh the session (`aws sso login`, or new keys); a SignatureDoesNotMatch with valid keys usually means the clock is off: sync it.',
  },
  rootUser: {
    id: 'root-user',
    symptom: 'The credentials belong to the account root user, which cannot call GetAuthorizationToken.',
    fix: 'Use an IAM user or role with the policy from `myorg-admin iam-policy --for local`.',
  },
  accessDenied: {
    id: 'access-denied',
    symptom: 'AWS refused an action (AccessDeniedException).',
    fix: 'Attach the least-privilege policy printed by `myorg-admin iam-policy --for local` (or `--for codebuild` for the build role).',
  },
  tokenDenied: {
    id: 'token-denied',
    symptom: 'GetAuthorizationToken was refused.',
    fix: 'The caller needs codeartifact:GetAuthorizationToken on the domain AND sts:GetServiceBearerToken with the condition sts:AWSServiceName = codeartifact.amazonaws.com (both are in `myorg-admin iam-policy`).',
  },
  domainMissing: {
    id: 'domain-missing',
    symptom: 'The CodeArtifact domain does not exist (ResourceNotFoundException).',
    fix: 'Run `myorg-admin setup`; if it should exist, check "region" and "account" (the domain owner) in the config.',
  },
  repositoryMissing: {
    id: 'repository-missing',
    symptom: 'The CodeArtifact repository does not exist, or lacks its upstream or external connection.',
    fix: 'Run `myorg-admin setup`: it creates what is missing and leaves the rest alone.',
  },
  storageDenied: {
    id: 'storage-denied',
    symptom: 'S3 refused a storage command (AccessDenied).',
    fix: 'Grant the caller s3:ListBucket on the bucket and s3:GetObject, s3:PutObject, s3:DeleteObject on its objects (plus kms:Decrypt / kms:GenerateDataKey for an SSE-KMS key, s3:DeleteBucket for remove-storage), or set AWS_PROFILE to a role that has them.',
  },
  noBucket: {
    id: 'no-bucket',
    symptom: 'The S3 bucket a storage command names does not exist (NoSuchBucket).',
    fix: 'Check the bucket name in --storage / --from and the region (AWS_REGION); use the bucket the registry runs on (its REGISTRY_STORAGE).',
  },
  throttled: {
    id: 'throttled',
    symptom: 'AWS throttled the requests (ThrottlingException).',
    fix: 'Wait a minute and run the command again; the SDK already retried with backoff.',
  },
  endpointUnreachable: {
    id: 'endpoint-unreachable',
    symptom: 'The repository endpoint could not be reached over HTTPS.',
    fix: 'Check HTTPS_PROXY / NO_PROXY and, inside a VPC without internet access, the com.amazonaws.<region>.codeartifact.api and .repositories interface endpoints.',
  },
  tokenRejected: {
    id: 'token-rejected',
    symptom:
      'The repository endpoint answered 401/403 to the token (npm prints E401 "Unable to authenticate").',
    fix: 'The token expired or belongs to another domain: run `myorg-admin npmrc` (or `myorg-admin token --refresh-every 11h` for long jobs).',
  },
  tokenExpiring: {
    id: 'token-expiring',
    symptom: 'The token in an .npmrc has expired or expires within the hour.',
    fix: 'Run `myorg-admin npmrc` for a new 12 h token, or keep `myorg-admin token --refresh-every 11h` running during long jobs.',
  },
  npmrcMismatch: {
    id: 'npmrc-mismatch',
    symptom:
      'An .npmrc is missing, points at another registry, or its `//host/path/:_authToken` line does not match the registry URL.',
    fix: 'npm picks the token by the longest //host/path prefix of the request URL, and the registry URL must end with "/": run `myorg-admin npmrc` to rewrite the lines.',
  },
  alwaysAuth: {
    id: 'always-auth',
    symptom: 'npm warns `Unknown project config "always-auth"`.',
    fix: 'Delete the always-auth line: only npm 6 needed it, and npm 11 will stop reading it.',
  },
  publishConflict: {
    id: 'publish-conflict',
    symptom: 'Publishing answered 409 Conflict.',
    fix: 'That version exists with other content: bump the version (`npx changeset`); if the name exists upstream, allow publishing with PutPackageOriginConfiguration (publish=ALLOW, upstream=BLOCK).',
  },
  unbuiltLibraries: {
    id: 'unbuilt-libraries',
    symptom: 'A library to publish has not been built (its entry file is missing).',
    fix: 'Run `npx nx run-many -t build` first: npm would otherwise publish a package without its dist/.',
  },
  githubScopes: {
    id: 'github-scopes',
    symptom: 'The GitHub token lacks the scopes CodeBuild needs to create the webhook.',
    fix: 'Create a classic personal access token with the `repo` and `admin:repo_hook` scopes and pass it as GITHUB_TOKEN.',
  },
  codebuildGithub: {
    id: 'codebuild-github',
    symptom: 'CodeBuild could not reach GitHub (OAuthProviderException) while creating the webhook.',
    fix: 'Run `myorg-admin setup-codebuild --import-github-token` so CodeBuild stores the token as its GitHub source credential.',
  },
} as const satisfies Record<string, Trouble>;

export type TroubleKey = keyof typeof troubles;
