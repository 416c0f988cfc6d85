import { Header, reasonPhrase } from '@myorg/constants';
import { AppError } from '@myorg/error';
import { bytes, type HttpAnswer } from '../http/httpRequest.ts';

/** What the npm registry answers when a version already exists (it uses 403 for it, not 409). */
const PUBLISH_OVER_TEXT = 'You cannot publish over the previously published versions';
/** Error bodies are for humans; keep enough to read, not a whole HTML error page. */
const MAX_BODY_CHARS = 4096;

export interface RegistryErrorOptions {
  status: number;
  method: string;
  /** The request URL, already free of credentials. */
  url: string;
  /** The response body as text (shortened). */
  body?: string | undefined;
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * A registry that answered with an error status. Like npm-registry-fetch, `code` is `E<status>`,
 * and the message carries the server's own `error` text so npm-style output stays familiar.
 */
export class RegistryError extends AppError {
  readonly method: string;
  readonly url: string;
  readonly body: string | undefined;

  constructor(message: string, options: RegistryErrorOptions) {
    const { status, method, url, body, headers, cause } = options;
    super(message, { status, cause, headers, details: { method, url } });
    this.method = method;
    this.url = url;
    this.body = body;
  }

  /** Reads the error response (its body is consumed) into a RegistryError. */
  static async fromResponse(response: HttpAnswer, method: string, url: string): Promise<RegistryError> {
    const body = (await bytes(response)).toString('utf8').slice(0, MAX_BODY_CHARS);
    const serverText = serverMessage(body);
    const retryAfter = response.header(Header.RETRY_AFTER);
    const message = `${response.status} ${reasonPhrase(response.status)} - ${method} ${url}${serverText ? ` - ${serverText}` : ''}`;
    return new RegistryError(message, {
      status: response.status,
      method,
      url,
      body,
      headers: retryAfter === undefined ? {} : { [Header.RETRY_AFTER]: retryAfter },
    });
  }
}

/** The human text of an error body: npm registries send `{ "error": ... }`, some `reason` or `message`. */
function serverMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const { error, reason, message } = parsed as Record<string, unknown>;
      const text = [error, reason, message].find((value) => typeof value === 'string' && value !== '');
      if (typeof text === 'string') return text;
    }
  } catch {
    // Not JSON: a short plain-text body is still worth showing, an HTML page is not.
  }
  const text = body.trim();
  return text !== '' && text.length <= 200 && !text.startsWith('<') ? text : undefined;
}

/**
 * True when a publish failed because the version already exists: a 409 (`E409`), the
 * `EPUBLISHCONFLICT` code, or npm's "cannot publish over" text (which comes with a 403).
 */
export function isPublishConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (code === 'E409' || code === 'EPUBLISHCONFLICT') return true;
  // A registry may put its own code in the body of a 403 or 400.
  const body = error instanceof RegistryError ? (error.body ?? '') : '';
  return [error.message, body].some(
    (text) => text.includes(PUBLISH_OVER_TEXT) || text.includes('EPUBLISHCONFLICT'),
  );
}
