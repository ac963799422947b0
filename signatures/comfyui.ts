import { compact, defineSignature, jsonAt, str } from '../src/http-catalog/signature.js';

/**
 * ComfyUI (server.py). No authentication in core; it listens on 127.0.0.1 unless --listen. A 401 can only come from
 * a proxy or a login extension. `GET /system_stats` shows versions, argv and the GPUs; `GET /queue` the running and
 * pending prompts. Never sent: /prompt (any method: GET reads the queue of a code-running service, POST runs a
 * workflow), POST /queue, /interrupt, /free, /history, uploads, ComfyUI-Manager routes.
 */
export default defineSignature({
  id: 'comfyui',
  product: 'ComfyUI',
  category: 'app / agent builder',
  neverSends: '/prompt (any method), POST /queue, /interrupt, /free, /history, uploads, ComfyUI-Manager routes',
  defaultPorts: [8188],
  requests: [
    { id: 'system-stats', method: 'GET', path: '/system_stats' },
    { id: 'queue', method: 'GET', path: '/queue' },
  ],
  positive: [
    {
      on: 'system-stats',
      status: [200],
      contentType: /json/i,
      json: ['system.comfyui_version', 'system.python_version', 'devices'],
      body: [/"vram_total"\s*:\s*\d|"devices"\s*:\s*\[\s*\]/],
      shows: 'system stats without credentials: anyone can queue workflows and install custom nodes (code) on this GPU host',
    },
  ],
  auth: [
    { on: 'system-stats', status: [401], shows: '401 from a proxy or login extension in front of ComfyUI (core has no authentication)' },
    { on: 'system-stats', status: [302, 303], redirect: /login/i, shows: 'redirect to a login page (ComfyUI-Login or a proxy)' },
  ],
  measure: [
    { id: 'gpus', kind: 'node', request: { method: 'GET', path: '/system_stats' }, list: 'devices', name: 'name', bytes: 'vram_total' },
  ],
  assess(r) {
    const q = r.queue?.json();
    const running = jsonAt(q, 'queue_running');
    const pending = jsonAt(q, 'queue_pending');
    const depth = (Array.isArray(running) ? running.length : 0) + (Array.isArray(pending) ? pending.length : 0);
    return {
      severity: 'critical',
      reason: `remote code execution: anyone can queue workflows and install custom nodes (Python) through ComfyUI-Manager, and use the GPUs${depth ? `; ${depth} prompt(s) in the queue` : ''}`,
    };
  },
  severity: 'critical',
  impact: 'code-execution',
  exposure: 'anyone can run workflows on the GPUs, read prompts and outputs, and install custom nodes, i.e. run Python on the host',
  remediation:
    'Do not start ComfyUI with --listen on a reachable interface; put it behind an authenticating proxy or VPN, and restrict ComfyUI-Manager (security_level) to block node installs.',
  references: [
    'https://github.com/comfyanonymous/ComfyUI/blob/master/server.py',
    'https://docs.comfy.org/development/comfyui-server/comms_routes',
  ],
  extract(r) {
    const s = r['system-stats']?.json();
    const devices = jsonAt(s, 'devices');
    const argv = jsonAt(s, 'system.argv');
    return compact({
      version: str(s, 'system.comfyui_version'),
      python: str(s, 'system.python_version', 40),
      pytorch: str(s, 'system.pytorch_version'),
      argv: Array.isArray(argv) ? argv.map((a) => String(a).slice(0, 60)).slice(0, 12) : undefined,
      gpus: Array.isArray(devices) ? devices.map((d) => str(d, 'name', 100)).filter(Boolean) : undefined,
    });
  },
});
