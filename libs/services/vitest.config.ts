import { projectTests } from '../../vitest.shared.ts';

// The publishing tests run the real npm CLI against loopback registries, which can be slow on a busy machine.
export default projectTests({ testTimeout: 120_000 });
