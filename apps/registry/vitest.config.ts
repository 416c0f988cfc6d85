import { mergeConfig } from 'vitest/config';
import { projectTests } from '../../vitest.shared.ts';

// src/main.ts only runs in a child process (tests/main.test.ts starts it as `nx serve` would), where
// coverage cannot see it; everything it calls is covered in-process. The `s3` and `lambda` projects
// run core e2e suites again on S3, the latter through the Lambda transport, in the same pool of workers.
export default mergeConfig(projectTests({ testTimeout: 60_000 }), {
  test: {
    coverage: { exclude: ['src/**/*.d.ts', 'src/main.ts'] },
    projects: [
      { extends: true, test: { name: 'registry' } },
      './vitest.e2e-s3.config.ts',
      './vitest.e2e-lambda.config.ts',
    ],
  },
});
