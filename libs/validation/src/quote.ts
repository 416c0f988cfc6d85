const maxQuotedLength = 100;

/**
 * An input shown inside a message: JSON-quoted so that spaces and control characters stay
 * visible, and cut short because names and tags often come straight from a request.
 */
export function quote(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  const text = value.length > maxQuotedLength ? `${value.slice(0, maxQuotedLength)}…` : value;
  return JSON.stringify(text);
}
