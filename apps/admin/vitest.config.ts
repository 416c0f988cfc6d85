import { projectTests } from '../../vitest.shared.ts';

// The end-to-end test runs the real CLI twice and a real `npm install`: it needs more than 10 s.
export default projectTests({ testTimeout: 120_000 });
