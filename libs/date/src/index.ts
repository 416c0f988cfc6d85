export { formatDuration, parseDuration } from './duration.ts';
export { expiresAt, isExpired, secondsUntil } from './expiry.ts';
export { parseHttpDate, toHttpDate } from './httpDate.ts';
export {
  createTime,
  latestVersionTime,
  type NpmTime,
  recordVersionTime,
  removeVersionTime,
  touchModified,
  versionTimes,
} from './npmTime.ts';
export { type DateInput, toDate, toIsoString } from './toDate.ts';
