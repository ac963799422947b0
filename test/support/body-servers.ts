// In-process node:http servers on loopback literals whose handlers get the whole request body, for probe tests
// that answer by JSON-RPC method. One group per test file, closed together.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertLoopback } from './servers/loopback.js';

export type BodyHandler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

export function bodyServers() {
  const servers: http.Server[] = [];
  return {
    /** Listens on host (any free port) and returns the port. */
    async serve(host: string, handler: BodyHandler): Promise<number> {
      assertLoopback(host);
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => handler(req, res, body));
      });
      servers.push(server);
      await new Promise<void>((r) => server.listen({ host, port: 0 }, r));
      return (server.address() as AddressInfo).port;
    },
    async close(): Promise<void> {
      for (const s of servers.splice(0)) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
    },
  };
}
