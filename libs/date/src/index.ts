export { formatDuration, parseDuration } from './duration.ts';
export { createTime, type NpmTime, recordVersionTime, touchModified, versionTimes } from './npmTime.ts';
export { toDate, toIsoString } from './toDate.ts';
