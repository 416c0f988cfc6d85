import { mergeConfig } from 'vitest/config';
import { projectTests } from '../../vitest.shared.ts';

// Loading aws-cdk-lib and synthesising takes seconds per test file, tens of seconds on a busy
// machine. src/app.ts only runs in a child process (tests/app.test.ts synthesises with it), where
// coverage cannot see it.
export default mergeConfig(projectTests({ testTimeout: 120_000 }), {
  test: { coverage: { exclude: ['src/**/*.d.ts', 'src/app.ts'] } },
});
