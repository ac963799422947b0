// Loopback-only address checks, port reservation and tiny raw clients for test servers.
// Safety: every helper here refuses any address outside 127.0.0.0/8 and ::1, and takes IP literals only,
// so no DNS lookup can happen (a reverse or forward lookup of 127.0.0.x left the machine on the test host).
import net from 'node:net';
import http from 'node:http';

/** True for an IPv4 literal in 127.0.0.0/8 or exactly `::1`. Names such as `localhost` are refused. */
export function isLoopbackLiteral(host: string): boolean {
  if (host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}

export function assertLoopback(host: string): void {
  if (!isLoopbackLiteral(host)) {
    throw new Error(`refusing non-loopback address ${JSON.stringify(host)}: only 127.x.y.z or ::1 literals are allowed`);
  }
}

/** `host:port` with IPv6 in brackets, as used in listen directives and URLs. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// Ports handed out by this process and not yet released, so parallel starts never pick the same one.
const reserved = new Set<string>();
const key = (host: string, port: number): string => `${host}|${port}`;

function bindOnce(host: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    // exclusive: no handle sharing with cluster workers; a wildcard listener on the port makes this fail too.
    srv.listen({ host, port, exclusive: true }, () => resolve(srv));
  });
}

const closeServer = (srv: net.Server): Promise<void> => new Promise((resolve) => srv.close(() => resolve()));

/**
 * Reserves one port per name on `host`. Explicit ports are checked by binding them (refused if taken);
 * missing ones are found by binding port 0. All probe sockets are closed before returning.
 */
export async function reservePorts(
  host: string,
  names: readonly string[],
  explicit: Partial<Record<string, number>> = {},
): Promise<Record<string, number>> {
  assertLoopback(host);
  for (const name of Object.keys(explicit)) {
    if (!names.includes(name)) throw new Error(`unknown port name ${name}; expected ${names.join(', ')}`);
  }
  const held: net.Server[] = [];
  const ports: Record<string, number> = {};
  try {
    for (const name of names) {
      const want = explicit[name];
      if (want !== undefined) {
        if (!Number.isInteger(want) || want < 1 || want > 65535) throw new Error(`invalid port ${want} for ${name}`);
        if (reserved.has(key(host, want))) throw new Error(`port ${hostPort(host, want)} is already used by a test server`);
        try {
          held.push(await bindOnce(host, want));
        } catch (err) {
          throw new Error(`port ${hostPort(host, want)} is not free (${(err as NodeJS.ErrnoException).code ?? err})`);
        }
        ports[name] = want;
        continue;
      }
      // Bounded: a handful of tries to step over ports this process already handed out.
      for (let attempt = 0; attempt < 20 && ports[name] === undefined; attempt++) {
        const srv = await bindOnce(host, 0);
        held.push(srv);
        const port = (srv.address() as net.AddressInfo).port;
        if (!reserved.has(key(host, port))) ports[name] = port;
      }
      if (ports[name] === undefined) throw new Error(`no free port found on ${host}`);
    }
    for (const port of Object.values(ports)) reserved.add(key(host, port));
    return ports;
  } finally {
    await Promise.all(held.map(closeServer));
  }
}

export function releasePorts(host: string, ports: Record<string, number>): void {
  for (const port of Object.values(ports)) reserved.delete(key(host, port));
}

export interface TcpExchangeOptions {
  host: string;
  port: number;
  send: string | Buffer;
  /** Source address to bind, e.g. 127.0.0.9 to look like a non-local client to Redis protected mode. */
  localAddress?: string;
  /** Resolve as soon as the collected bytes satisfy this. Default: first CRLF-terminated line. */
  until?: (text: string) => boolean;
  timeoutMs?: number;
  maxBytes?: number;
}

/** Connects, writes `send`, collects the reply (capped) and closes. Rejects on connect errors and timeouts. */
export function tcpExchange(opts: TcpExchangeOptions): Promise<string> {
  assertLoopback(opts.host);
  if (opts.localAddress !== undefined) assertLoopback(opts.localAddress);
  const until = opts.until ?? ((t: string) => t.includes('\r\n'));
  const maxBytes = opts.maxBytes ?? 65536;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const sock = net.connect({
      host: opts.host,
      port: opts.port,
      ...(opts.localAddress !== undefined ? { localAddress: opts.localAddress } : {}),
    });
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(() => finish(new Error(`timeout talking to ${hostPort(opts.host, opts.port)}`)), opts.timeoutMs ?? 2000);
    sock.once('connect', () => sock.write(opts.send));
    sock.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes || until(Buffer.concat(chunks).toString('utf8'))) finish(null);
    });
    sock.once('end', () => finish(null));
    sock.once('close', () => finish(null));
    sock.once('error', (err) => finish(err));
  });
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequestOptions {
  host: string;
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * One HTTP/1.1 request with `Connection: close` and no agent: an idle keep-alive client makes
 * ClickHouse 18.16 wait up to keep_alive_timeout before it exits on SIGTERM.
 */
export function httpRequest(opts: HttpRequestOptions): Promise<HttpResult> {
  assertLoopback(opts.host);
  const maxBytes = opts.maxBytes ?? 1 << 20;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: opts.host,
        port: opts.port,
        path: opts.path,
        method: opts.method ?? 'GET',
        agent: false,
        headers: { connection: 'close', ...opts.headers },
        timeout: opts.timeoutMs ?? 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < maxBytes) chunks.push(chunk);
          size += chunk.length;
        });
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.once('error', reject);
      },
    );
    req.once('timeout', () =>
      req.destroy(new Error(`timeout on ${opts.method ?? 'GET'} ${opts.path} at ${hostPort(opts.host, opts.port)}`)),
    );
    req.once('error', reject);
    req.end(opts.body);
  });
}
