import { projectTests } from '../../vitest.shared.ts';

// Packing and installing 13 tarballs takes a while; nothing here is workspace source to cover.
export default projectTests({ coverage: false, testTimeout: 300_000 });
