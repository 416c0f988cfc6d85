import { projectTests } from '../../vitest.shared.ts';

// Tests run the real npm CLI against loopback registries, which can be slow on a busy machine; the
// end-to-end release flow sets its own, longer limit.
export default projectTests({ testTimeout: 120_000 });
