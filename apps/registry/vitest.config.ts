import { mergeConfig } from 'vitest/config';
import { projectTests } from '../../vitest.shared.ts';

// src/main.ts only runs in a child process (tests/main.test.ts starts it as `nx serve` would), where
// coverage cannot see it; everything it calls is covered in-process.
export default mergeConfig(projectTests({ testTimeout: 60_000 }), {
  test: { coverage: { exclude: ['src/**/*.d.ts', 'src/main.ts'] } },
});
