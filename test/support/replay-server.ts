// A replay server for recorded replies (signatures/<id>.replies.ts, src/http-catalog/replies.ts): answers exact
// method + path (the raw or decoded URL, query included), the case's fallback otherwise. Loopback literals only.
import http from 'node:http';
import type net from 'node:net';
import { defaultFallback, type RecordedReply, type RepliesCase } from '../../src/http-catalog/replies.js';

export interface ReplayServer {
  host: string;
  port: number;
  /** `METHOD url` of every request received, in order. */
  requests: string[];
  close(): Promise<void>;
}

type Answer = Omit<RecordedReply, 'path' | 'method'>;

function encode(reply: Answer): { status: number; headers: Record<string, string>; body: string } {
  const headers = { ...(reply.headers ?? {}) };
  let body = '';
  if (typeof reply.body === 'string') body = reply.body;
  else if (reply.body !== undefined) {
    body = JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json';
  }
  return { status: reply.status, headers, body };
}

/** Serves a case (or a function of method and URL) on a loopback address; port 0 = any free port. */
export async function startReplayServer(
  host: string,
  port: number,
  served: RepliesCase | ((method: string, url: string) => Answer),
): Promise<ReplayServer> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`replay servers bind loopback literals only, not ${host}`);
  const requests: string[] = [];
  const lookup = (method: string, url: string): Answer => {
    if (typeof served === 'function') return served(method, url);
    let decoded = url;
    try {
      decoded = decodeURIComponent(url);
    } catch {
      decoded = url;
    }
    const hit = served.replies.find((r) => (r.method ?? 'GET') === method && (r.path === url || r.path === decoded));
    return hit ?? served.fallback ?? defaultFallback;
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    req.resume();
    req.on('end', () => {
      const { status, headers, body } = encode(lookup(req.method ?? 'GET', url));
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
