import {
  type AppError,
  BadGatewayError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
} from '@myorg/error';

// The SDK's exception names, mapped to the HTTP error that says the same thing.
const byName: Record<string, typeof BadGatewayError> = {
  AccessDeniedException: ForbiddenError,
  ResourceNotFoundException: NotFoundError,
  ThrottlingException: TooManyRequestsError,
  ValidationException: BadRequestError,
  // The default credential chain found nothing: no env keys, profile, SSO or role.
  CredentialsProviderError: UnauthorizedError,
};

/**
 * Wraps a failed CodeArtifact call in an AppError that names the operation and keeps the SDK's
 * exception name as `code`, so logs say what was refused and why. The SDK has already retried
 * throttling and transient errors by the time this runs.
 */
export function codeArtifactError(operation: string, error: unknown): AppError {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const ErrorClass = byName[name] ?? BadGatewayError;
  return new ErrorClass(`CodeArtifact ${operation} failed: ${name}: ${message}`, {
    code: name,
    cause: error,
  });
}
