import { mergeConfig } from 'vitest/config';
import { projectTests } from '../../vitest.shared.ts';

// The end-to-end tests alone (`npx vitest run -c vitest.e2e.config.ts`); `vitest.config.ts` runs them
// with the unit tests. Each file starts real registry processes and drives the real npm and pnpm
// CLIs, so there is no in-process source to cover, and a worker mostly waits on its child
// processes: more workers than cores keep both cores busy.
export default mergeConfig(
  projectTests({ coverage: false, testTimeout: 180_000, include: ['tests/e2e/**/*.test.ts'] }),
  { test: { maxWorkers: 4 } },
);
