import { projectTests } from '../../vitest.shared.ts';

// Installs three apps from a registry and runs their suites; nothing here is workspace source to cover.
export default projectTests({ coverage: false, testTimeout: 240_000 });
