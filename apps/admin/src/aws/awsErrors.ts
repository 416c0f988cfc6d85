import { AppError, type AppErrorOptions } from '@myorg/error';
import { type TroubleKey, troubles } from '../doctor/troubleshooting.ts';

// Error names across the REST-JSON (CodeArtifact), JSON (CodeBuild), Query (IAM, STS) and REST-XML
// (S3) protocols.
const notFound = new Set([
  'ResourceNotFoundException',
  'NoSuchEntityException',
  'NoSuchEntity',
  'NoSuchBucket',
]);
const conflict = new Set([
  'ConflictException',
  'EntityAlreadyExistsException',
  'EntityAlreadyExists',
  'ResourceAlreadyExistsException',
]);
const accessDenied = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
const throttling = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const badCredentials = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'InvalidAccessKeyId',
]);

/** Actions of the storage commands start with this, so their refusals get the storage's fix. */
export const S3_ACTION = 'S3 ';

/** A failed AWS call: names the action, keeps the SDK's error name and carries the fix in `details.fix`. */
export class AwsCallError extends AppError {
  readonly awsName: string;
  readonly action: string;

  constructor(message: string, awsName: string, action: string, options: AppErrorOptions) {
    super(message, options);
    this.awsName = awsName;
    this.action = action;
  }
}

function nameOf(error: unknown): string {
  if (error instanceof AwsCallError) return error.awsName;
  return error instanceof Error ? error.name : '';
}

export const isNotFound = (error: unknown): boolean => notFound.has(nameOf(error));
export const isConflict = (error: unknown): boolean => conflict.has(nameOf(error));
export const isAccessDenied = (error: unknown): boolean => accessDenied.has(nameOf(error));
export const isThrottling = (error: unknown): boolean => throttling.has(nameOf(error));

/** Which known trouble an AWS failure is, for its fix; undefined for anything unrecognised. */
export function troubleOf(error: unknown, action: string): TroubleKey | undefined {
  const name = nameOf(error);
  if (name === 'CredentialsProviderError') return 'noCredentials';
  if (badCredentials.has(name)) return 'badCredentials';
  if (isThrottling(error)) return 'throttled';
  if (name === 'NoSuchBucket') return 'noBucket';
  if (isAccessDenied(error)) {
    if (action === 'GetAuthorizationToken') return 'tokenDenied';
    return action.startsWith(S3_ACTION) ? 'storageDenied' : 'accessDenied';
  }
  if (name === 'OAuthProviderException') return 'codebuildGithub';
  return undefined;
}

/**
 * An AWS SDK failure as an AwsCallError, so every command reports the same way. The SDK error
 * stays as the cause; AppErrors (already explained) pass through.
 */
export function awsFailure(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  const name = nameOf(error) || 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const trouble = troubleOf(error, action);
  const status = isAccessDenied(error) ? 403 : isThrottling(error) ? 429 : isNotFound(error) ? 404 : 502;
  return new AwsCallError(`${action} failed: ${name}: ${message}`, name, action, {
    status,
    code: `EAWS_${name.replace(/Exception$/, '').toUpperCase()}`,
    cause: error,
    expose: true,
    details: { awsError: name, ...(trouble === undefined ? {} : { fix: troubles[trouble].fix }) },
  });
}

/** Runs one AWS call and turns its failure into `awsFailure(error, action)`. */
export async function awsCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw awsFailure(error, action);
  }
}
