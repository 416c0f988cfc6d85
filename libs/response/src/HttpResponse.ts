/** What a response may carry: bytes, text, or a stream of bytes (a Node Readable is an AsyncIterable). */
export type ResponseBody = Uint8Array | string | AsyncIterable<Uint8Array> | undefined;

/**
 * A transport-free HTTP response. Header names are lower-case. Each response object belongs to the
 * one request that produced it, so middleware and adapters may add headers to it in place rather
 * than copy it.
 */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body?: ResponseBody;
}

/** Request headers as Node and Lambda deliver them: lower-case names, absent ones undefined. */
export type RequestHeaders = Readonly<Record<string, string | undefined>>;
