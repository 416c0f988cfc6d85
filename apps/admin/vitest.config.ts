import { projectTests } from '../../vitest.shared.ts';

// The end-to-end test runs the real CLI twice and a real `npm install`: it needs more than 10 s.
// Most files import the CLI with every AWS client and the registry: evaluated once per worker
// rather than once per file. Mocked clients are restored after each file (`mockSdkClient`).
export default projectTests({ testTimeout: 120_000, isolate: false });
