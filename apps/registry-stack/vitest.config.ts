import { mergeConfig } from 'vitest/config';
import { projectTests } from '../../vitest.shared.ts';

// Loading aws-cdk-lib and synthesising takes a few seconds per test file. src/app.ts only runs in
// a child process (tests/app.test.ts synthesises with it), where coverage cannot see it.
export default mergeConfig(projectTests({ testTimeout: 60_000 }), {
  test: { coverage: { exclude: ['src/**/*.d.ts', 'src/app.ts'] } },
});
