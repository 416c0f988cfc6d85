import { type DateInput, toDate } from './toDate.ts';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const month = `(?<month>${months.join('|')})`;
const time = '(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})';
const day = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';

/** The three forms RFC 9110 §5.6.7 obliges a recipient to accept. */
const httpDateForms = [
  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
  new RegExp(`^${day}, (?<day>\\d{2}) ${month} (?<year>\\d{4}) ${time} GMT$`),
  // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
  new RegExp(
    `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (?<day>\\d{2})-${month}-(?<yy>\\d{2}) ${time} GMT$`,
  ),
  // asctime: Sun Nov  6 08:49:37 1994
  new RegExp(`^${day} ${month} (?<day>[ \\d]\\d) ${time} (?<year>\\d{4})$`),
];

/**
 * The HTTP date form (RFC 9110 IMF-fixdate, the RFC 1123 layout): `Sun, 06 Nov 1994 08:49:37 GMT`,
 * as `Last-Modified`, `Expires` and `Date` carry it. Milliseconds are dropped.
 */
export function toHttpDate(date: DateInput): string {
  // ECMAScript pins toUTCString to exactly this layout.
  return toDate(date).toUTCString();
}

/**
 * Parses an HTTP date (`If-Modified-Since`, `Retry-After`, an upstream's `Last-Modified`) in any of
 * the three forms HTTP allows, or returns undefined. Unlike `Date.parse` it accepts nothing else, and
 * it rejects impossible dates such as 31 Feb. The weekday is not cross-checked, as most servers do.
 * A two-digit RFC 850 year more than 50 years ahead is read as the previous century (RFC 9110).
 */
export function parseHttpDate(text: string): Date | undefined {
  const value = text.trim();
  const fields = httpDateForms.map((form) => form.exec(value)?.groups).find((groups) => groups !== undefined);
  if (!fields) return undefined;

  const monthIndex = months.indexOf(fields.month as string);
  const dayOfMonth = Number(fields.day);
  const [hour, minute, second] = [fields.hour, fields.minute, fields.second].map(Number) as [
    number,
    number,
    number,
  ];
  const year = fields.year === undefined ? fullYear(Number(fields.yy)) : Number(fields.year);

  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, dayOfMonth);
  date.setUTCHours(hour, minute, second, 0);
  // Date arithmetic rolls 31 Feb over into March and 24:00 into the next day; an HTTP date must not.
  const exact =
    date.getUTCDate() === dayOfMonth &&
    date.getUTCMonth() === monthIndex &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return exact ? date : undefined;
}

/** The RFC 9110 reading of a two-digit year: this century, unless that is over 50 years ahead. */
function fullYear(twoDigits: number): number {
  const thisYear = new Date().getUTCFullYear();
  const year = thisYear - (thisYear % 100) + twoDigits;
  return year > thisYear + 50 ? year - 100 : year;
}
