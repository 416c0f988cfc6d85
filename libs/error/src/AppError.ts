import { isServerError } from '@myorg/constants';

export interface AppErrorOptions {
  /** HTTP status the error maps to. Defaults to 500. */
  status?: number;
  /** npm-style code (`E404`, `EPUBLISHCONFLICT`). Defaults to `E<status>`, as npm-registry-fetch does. */
  code?: string;
  /** The error that led to this one; kept for logs, never sent to clients. */
  cause?: unknown;
  /** Extra structured facts for logs and for clients when `expose` is true. */
  details?: Record<string, unknown>;
  /** Whether the message may be shown to clients. Defaults to true for 4xx and false for 5xx. */
  expose?: boolean;
  /** Extra response headers the error implies (`WWW-Authenticate`, `Allow`, `Retry-After`). */
  headers?: Record<string, string>;
}

/**
 * The base of every error the platform raises on purpose. It carries what a transport needs to
 * answer (status, code, safe message, headers) so that adapters never guess from message text.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly expose: boolean;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 500;
    this.code = options.code ?? `E${this.status}`;
    this.expose = options.expose ?? !isServerError(this.status);
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/** Options of the fixed-status subclasses: everything but the status itself. */
export type HttpErrorOptions = Omit<AppErrorOptions, 'status'>;
