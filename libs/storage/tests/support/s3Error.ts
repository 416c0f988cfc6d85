import { S3ServiceException } from '@aws-sdk/client-s3';

/** An error as the S3 client raises it for an HTTP error answer: what `aws-sdk-client-mock` rejects with. */
export function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    message: `${name} (mocked)`,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
  });
}
