import { mockClient } from 'aws-sdk-client-mock';
import { afterAll } from 'vitest';

/**
 * `mockClient`, restored once the file (or the `describe` it is called in) has run: a worker runs
 * its files in one module graph (`isolate: false`), where a stub left on a client's prototype would
 * answer the next file's calls, those to s3rver included.
 */
export const mockSdkClient: typeof mockClient = (client, options) => {
  const mock = mockClient(client, options);
  afterAll(() => {
    mock.restore();
  });
  return mock;
};
