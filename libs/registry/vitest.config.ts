import { projectTests } from '../../vitest.shared.ts';

// Concurrency and crash tests do real filesystem work; a loaded CI machine needs more than the default.
// Nearly every file imports the whole registry (AWS SDK, zod, marked, prom-client): evaluating it once
// per worker rather than once per file saves about a third of the run. No test leaves global state behind.
export default projectTests({ testTimeout: 30_000, isolate: false });
