import { projectTests } from '../../vitest.shared.ts';

// The tests drive the stand-in with the real AWS SDK and the real npm CLI: slower than 10 s on a busy machine.
export default projectTests({ testTimeout: 60_000 });
