import { mergeConfig } from 'vitest/config';
import { projectTests } from '../../vitest.shared.ts';

/**
 * npm publish and lockfile installs with npm and pnpm again, through the registry as it runs on
 * AWS Lambda: `--lambda` (the built bundle behind the local API Gateway stand-in) on S3 (s3rver
 * behind the conditional-write proxy of @myorg/storage's tests). Part of `test` as its `lambda`
 * project; tarballs come by 302 from S3 there, which npm and pnpm follow. Any e2e file runs this
 * way with `E2E_STORAGE=s3 E2E_TRANSPORT=lambda npx vitest run -c vitest.e2e.config.ts <file>`
 * after `npx nx build registry`.
 */
export default mergeConfig(
  projectTests({
    coverage: false,
    testTimeout: 180_000,
    include: ['tests/e2e/npmPublishLifecycle.test.ts', 'tests/e2e/installFromLockfile.test.ts'],
  }),
  { test: { name: 'lambda', env: { E2E_STORAGE: 's3', E2E_TRANSPORT: 'lambda' }, maxWorkers: 4 } },
);
