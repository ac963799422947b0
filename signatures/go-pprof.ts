import { defineSignature } from '../src/http-catalog/signature.js';

export default defineSignature({
  id: 'go-pprof',
  product: 'Go net/http/pprof',
  defaultPorts: [6060],
  // The index page only; profiles (heap, goroutine, CPU, trace) are never requested.
  requests: [{ id: 'index', method: 'GET', path: '/debug/pprof/' }],
  positive: [
    {
      on: 'index',
      status: [200],
      body: [/Types of profiles available/, /goroutine/, /heap/],
      shows: 'the profiler index: heap, goroutine (with stack arguments), CPU profiles and execution traces are downloadable',
    },
  ],
  auth: [
    { on: 'index', status: [401], headers: { 'www-authenticate': true }, shows: '401 with WWW-Authenticate' },
    { on: 'index', status: [403], body: [/forbidden/i], shows: '403 Forbidden' },
  ],
  severity: 'medium',
  exposure:
    'memory and goroutine dumps leak in-memory data (tokens, request contents); CPU profiles and traces can be used to load the process',
  remediation:
    'Serve net/http/pprof only on a separate listener bound to 127.0.0.1 (not on the default mux of a public server), or behind authentication.',
  references: ['https://pkg.go.dev/net/http/pprof', 'https://go.dev/blog/pprof'],
  summarize(reply) {
    const profiles = [...reply.text.matchAll(/href=['"]?([a-z]+)\?debug=1/g)].map((m) => m[1]).slice(0, 12);
    return `${reply.status} pprof index: ${profiles.join(', ') || 'profiles listed'}`;
  },
});
