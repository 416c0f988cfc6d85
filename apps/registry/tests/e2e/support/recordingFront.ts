import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface RecordedAudit {
  path: string;
  /** The request body, decompressed and parsed. */
  body: unknown;
}

export interface RecordingFront {
  /** Base URL with a trailing slash: the upstream as the proxy under test sees it. */
  readonly url: string;
  /** `METHOD path` of every request that reached the front, in order. */
  readonly requests: string[];
  readonly audits: RecordedAudit[];
  /** What audit requests are answered with; `{}` (no advisories) by default. */
  auditAnswer: unknown;
  close(): Promise<void>;
}

/**
 * An HTTP front for an upstream registry on loopback: it forwards every request to `target`,
 * records what passed, and answers npm's audit endpoints itself (our registry has no advisory
 * database), keeping the bodies the proxy forwarded.
 */
export async function startRecordingFront(target: string): Promise<RecordingFront> {
  const upstream = new URL(target);
  const requests: string[] = [];
  const audits: RecordedAudit[] = [];
  const sockets = new Set<Socket>();

  const front: RecordingFront = {
    url: '',
    requests,
    audits,
    auditAnswer: {},
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const answerAudit = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
    audits.push({ path: req.url ?? '', body: JSON.parse(text) });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(front.auditAnswer));
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const outgoing = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"error":"upstream unreachable"}');
    });
    req.pipe(outgoing);
  };

  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.method === 'POST' && req.url?.startsWith('/-/npm/v1/security/')) void answerAudit(req, res);
    else forward(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  (front as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return front;
}
