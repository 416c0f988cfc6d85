/** A transport-free request, built by an adapter (Node, API Gateway) and handed to the pipeline. */
export interface HttpRequest {
  /** Upper-case. */
  method: string;
  /** Raw path and query as received, not decoded. */
  url: string;
  /** Raw path without the query, not decoded: `%2f` in a scoped name stays as sent. */
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** Streamed and readable at most once; undefined when the request carries no body. */
  body: AsyncIterable<Uint8Array> | undefined;
  remoteAddress?: string;
}
