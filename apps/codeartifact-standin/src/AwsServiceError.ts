/**
 * An error as the CodeArtifact REST API reports it: the type goes into the `x-amzn-errortype`
 * header (which the SDK turns into the exception class), the fields into the JSON body.
 */
export class AwsServiceError extends Error {
  readonly type: string;
  readonly status: number;
  readonly fields: Record<string, string>;

  constructor(type: string, status: number, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = status;
    this.fields = fields;
  }
}

export type ResourceType = 'domain' | 'repository' | 'package' | 'package-version';

export function notFound(resourceType: ResourceType, resourceId: string, message: string): AwsServiceError {
  return new AwsServiceError('ResourceNotFoundException', 404, message, { resourceId, resourceType });
}

export function conflict(resourceType: ResourceType, resourceId: string, message: string): AwsServiceError {
  return new AwsServiceError('ConflictException', 409, message, { resourceId, resourceType });
}

export function invalid(message: string): AwsServiceError {
  return new AwsServiceError('ValidationException', 400, message, { reason: 'FIELD_VALIDATION_FAILED' });
}
