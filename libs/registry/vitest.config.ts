import { projectTests } from '../../vitest.shared.ts';

// Concurrency and crash tests do real filesystem work; a loaded CI machine needs more than the default.
export default projectTests({ testTimeout: 30_000 });
