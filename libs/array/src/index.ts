export { chunk } from './chunk.ts';
export { groupBy, groupByToMap } from './groupBy.ts';
export {
  type ConcurrentTask,
  type MapConcurrentOptions,
  mapConcurrent,
  mapConcurrentSettled,
} from './mapConcurrent.ts';
export { partition } from './partition.ts';
export { uniq, uniqBy } from './uniq.ts';
