import net from 'node:net';
import { Worker } from 'node:worker_threads';

/**
 * A BUSY but open server on loopback (/work/shared/reference/real-networks.md): it listens with a backlog of 1 in a
 * worker thread, and `park(ms)` blocks that thread's event loop, so nothing is accepted; `fill()` then queues idle
 * connections until the accept queue is full. Linux drops every further SYN (tcp_conn_request: the listen queue
 * overflows) and the client's kernel sends it again after its initial RTO of ~1 s, then 3 s: the endpoint looks
 * silent until the server accepts again. Each connection it accepts is greeted with `banner`.
 */
export interface BusyServer {
  host: string;
  port: number;
  /** Blocks the server's event loop for `ms`; resolves once it is blocked. */
  park(ms: number): Promise<void>;
  /** Opens idle connections until the accept queue is full (two complete with a backlog of 1). */
  fill(): Promise<void>;
  /** Connections the server accepted so far (read once it is not parked). */
  accepted(): Promise<number>;
  close(): Promise<void>;
}

const workerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const state = new Int32Array(workerData.sab);
let accepted = 0;
const sockets = new Set();
const server = net.createServer((s) => {
  accepted++;
  sockets.add(s);
  s.on('error', () => {});
  s.on('close', () => sockets.delete(s));
  s.write(workerData.banner);
});
server.listen({ host: workerData.host, port: 0, backlog: 1 }, () => parentPort.postMessage({ type: 'up', port: server.address().port }));
parentPort.on('message', (m) => {
  if (m.type === 'park') {
    Atomics.store(state, 0, 1);
    Atomics.wait(state, 1, 0, m.ms);
    Atomics.store(state, 0, 0);
  } else if (m.type === 'count') {
    parentPort.postMessage({ type: 'count', accepted });
  } else if (m.type === 'close') {
    for (const s of sockets) s.destroy();
    server.close(() => parentPort.postMessage({ type: 'closed' }));
  }
});
`;

export async function startBusyServer(host: string, banner: string): Promise<BusyServer> {
  if (!host.startsWith('127.')) throw new Error(`busy server: refusing non-loopback ${host}`);
  const sab = new SharedArrayBuffer(8);
  const state = new Int32Array(sab);
  const worker = new Worker(workerCode, { eval: true, workerData: { sab, host, banner } });
  const next = (type: string) =>
    new Promise<{ port?: number; accepted?: number }>((resolve) => {
      const on = (m: { type: string; port?: number; accepted?: number }) => {
        if (m.type !== type) return;
        worker.off('message', on);
        resolve(m);
      };
      worker.on('message', on);
    });
  const { port } = await next('up');
  const fillers = new Set<net.Socket>();
  const until = async (cond: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; !cond() && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
  };
  return {
    host,
    port: port!,
    async park(ms) {
      worker.postMessage({ type: 'park', ms });
      await until(() => Atomics.load(state, 0) === 1, 10_000);
    },
    async fill() {
      let connected = 0;
      for (let k = 0; k < 3; k++) {
        const s = net.connect({ host, port: port! });
        s.on('error', () => undefined);
        s.once('connect', () => connected++);
        fillers.add(s);
      }
      await until(() => connected >= 2, 10_000);
    },
    async accepted() {
      const reply = next('count');
      worker.postMessage({ type: 'count' });
      return (await reply).accepted!;
    },
    async close() {
      for (const s of fillers) s.destroy();
      // Wakes a parked server at once.
      Atomics.store(state, 1, 1);
      Atomics.notify(state, 1);
      const closed = next('closed');
      worker.postMessage({ type: 'close' });
      await closed;
      await worker.terminate();
    },
  };
}
