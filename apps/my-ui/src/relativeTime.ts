import { formatDuration, toDate, toIsoString } from '@myorg/date';

const MINUTE = 60_000;
const UNITS = [24 * 60 * MINUTE, 60 * MINUTE, MINUTE];

export interface DisplayTime {
  /** `3d ago`, `in 2h`, `just now`. */
  relative: string;
  /** `2024-05-01T12:00:00.000Z`, as npm stores it. */
  iso: string;
}

/** A time as people read it next to the exact ISO value, rounded to its largest whole unit. */
export function displayTime(date: Date | string, now: Date | number = Date.now()): DisplayTime {
  const at = toDate(date);
  const elapsed = toDate(now).getTime() - at.getTime();
  const size = Math.abs(elapsed);
  const unit = UNITS.find((candidate) => size >= candidate);
  const iso = toIsoString(at);
  if (unit === undefined) return { relative: 'just now', iso };
  const rounded = formatDuration(Math.floor(size / unit) * unit);
  return { relative: elapsed >= 0 ? `${rounded} ago` : `in ${rounded}`, iso };
}
