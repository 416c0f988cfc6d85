import { mergeConfig } from 'vitest/config';
import { projectTests } from '../../vitest.shared.ts';

/**
 * The core protocol suites again with every registry on S3 (s3rver behind the conditional-write
 * proxy of @myorg/storage's tests): `npx nx e2e-s3 registry`, and part of `test` as its `s3`
 * project. A chosen few, as each file costs up to a minute of two shared cores: the read protocol,
 * a tarball large enough for a multipart upload, and crashes. npm publish and lockfile installs
 * run on S3 through the Lambda transport (vitest.e2e-lambda.config.ts). (sharedBucket.test.ts is on S3 in every run.) Any e2e file runs on S3 with
 * `E2E_STORAGE=s3 npx vitest run -c vitest.e2e.config.ts <file>`.
 */
export default mergeConfig(
  projectTests({
    coverage: false,
    testTimeout: 180_000,
    include: [
      'tests/e2e/readProtocol.test.ts',
      'tests/e2e/largeTarball.test.ts',
      'tests/e2e/crashRecovery.test.ts',
    ],
  }),
  { test: { name: 's3', env: { E2E_STORAGE: 's3' }, maxWorkers: 4 } },
);
