/** What the date helpers accept: a Date, epoch milliseconds, or a string `Date` can parse. */
export type DateInput = Date | number | string;

/**
 * `input` as a new valid Date. Strings are read as `Date` reads them, so store ISO strings with a
 * zone (`Z`): a zone-less date-time would be read in local time. Throws a RangeError naming the input
 * when it is not a valid date, so a corrupt stored timestamp fails loudly instead of as `NaN`.
 */
export function toDate(input: DateInput): Date {
  const date = new Date(input instanceof Date ? input.getTime() : input);
  if (Number.isNaN(date.getTime())) {
    const shown = input instanceof Date ? 'Invalid Date' : JSON.stringify(input);
    throw new RangeError(`invalid date: ${shown}`);
  }
  return date;
}

/** The ISO 8601 form npm uses in packument `time` fields: `2024-05-01T12:00:00.000Z`. */
export function toIsoString(date: DateInput): string {
  return toDate(date).toISOString();
}
