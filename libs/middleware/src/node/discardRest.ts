import type { IncomingMessage } from 'node:http';

// A client still sending this much of a body that was already answered is cut off instead.
const MAX_DISCARDED_BYTES = 16 * 1024 * 1024;

/**
 * Reads and drops what remains of a request body after its response went out early (a 413 while
 * streaming, a 401 before reading). Closing at once would make the kernel answer the bytes still
 * in flight with a reset, which can wipe out the response before the client reads it; draining
 * avoids that and keeps the connection reusable. Node drains a body nobody touched on its own, but
 * not one that was partly read, and never with a bound: this does both.
 */
export function discardRest(req: IncomingMessage): void {
  if (req.complete) return;
  let discarded = 0;
  const discard = () => {
    for (let chunk: Buffer | null = req.read(); chunk !== null; chunk = req.read()) {
      discarded += chunk.byteLength;
      if (discarded > MAX_DISCARDED_BYTES) {
        req.socket.destroy();
        return;
      }
    }
  };
  req.on('readable', discard);
  discard();
}
