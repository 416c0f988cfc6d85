export { chunk } from './chunk.ts';
export { groupBy } from './groupBy.ts';
export { mapConcurrent } from './mapConcurrent.ts';
export { partition } from './partition.ts';
export { uniq } from './uniq.ts';
