/**
 * Routes the catalog never sends, whatever a signature's author thinks: inference and generation (they cost
 * compute and run code on the peer), model pull/push/delete/copy/create, job submission, state changes, code
 * execution, dumps and profiles, logins and account set-up. A signature may detect such a product only through a
 * listing, a page or a HEAD. `defineSignature` rejects a signature whose requests, measurements or default-credential
 * requests would send one, and the engine checks every path again just before sending (an `each` path is built
 * from names the server chose).
 */
export interface ForbiddenRoute {
  /** Absent: any method. */
  method?: string;
  /** Tested against the path without its query (and, for the older catalog rules, against the full path). */
  path: RegExp;
  why: string;
}

// Every pattern is anchored or a plain alternation: linear time on any input.
export const forbiddenRoutes: readonly ForbiddenRoute[] = [
  // Inference and generation (Ollama, OpenAI-compatible servers, TGI, Triton / KServe v2).
  { path: /^\/api\/(generate|chat|embed|embeddings)\/?$/i, why: 'inference is never requested (it costs compute)' },
  {
    path: /^(\/openai)?\/v1\/(completions|chat\/completions|embeddings|responses)\/?$/i,
    why: 'inference is never requested (it costs compute)',
  },
  { path: /^\/(generate|generate_stream)\/?$/i, why: 'inference is never requested (it costs compute)' },
  { path: /^\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/infer\/?$/i, why: 'inference is never requested (it costs compute)' },
  // Model management.
  { path: /^\/api\/(pull|push|delete|copy|create)\/?$/i, why: 'models are never pulled, pushed, deleted, copied or created' },
  // Job submission (Ray, Spark, Flink style POST /api/jobs/).
  { method: 'POST', path: /^\/api\/jobs\/?$/i, why: 'jobs are never submitted' },
  // LiteLLM /health calls every configured model; ComfyUI /prompt queues a workflow.
  { path: /^\/health\/?$/i, why: 'LiteLLM /health calls every model upstream (costs compute)' },
  { path: /^\/prompt\/?$/i, why: 'ComfyUI /prompt queues (and GET reads) the prompt queue of a code-running service' },
  // Writes of any kind.
  { method: 'PUT', path: /^/, why: 'PUT writes' },
  { method: 'PATCH', path: /^/, why: 'PATCH writes' },
  { method: 'DELETE', path: /^/, why: 'DELETE writes' },
  // The catalog's older rules: dumps, profiles, execution, mutations, logins.
  { method: 'GET', path: /heapdump|threaddump|\.hprof/i, why: 'heap and thread dumps are never downloaded' },
  { path: /\/debug\/pprof\/(profile|trace|heap|goroutine|allocs|block|mutex|threadcreate|cmdline)/i, why: 'profiles are never collected' },
  {
    path: /quitquitquit|\/drain_listeners|\/healthcheck\/(fail|ok)|\/logging\b|\/cpuprofiler|\/heapprofiler|\/reset_counters/i,
    why: 'Envoy admin mutations',
  },
  { path: /\/(exec|run|attach|portForward|containerLogs)\//i, why: 'kubelet / Docker execution endpoints' },
  {
    method: 'POST',
    path: /\/script|\/scriptText|\/createItem|\/api\/v1\/dags|\/api\/task|\/shutdown|\/restart|\/refresh/i,
    why: 'code execution and state changes',
  },
  {
    path: /\/api\/users\/admin\/init|\/api\/auth|\/login|\/j_spring_security_check|\/j_acegi_security_check/i,
    why: 'logins and account set-up are never attempted',
  },
  { path: /\/terminals|\/api\/sessions/i, why: 'Jupyter terminals and kernel sessions are never opened' },
];

/** Why `METHOD path` must never be sent, or undefined when it may be. */
export function forbiddenReason(method: string, path: string): string | undefined {
  const bare = path.split('?')[0]!;
  let decoded = bare;
  try {
    decoded = decodeURIComponent(bare);
  } catch {
    decoded = bare;
  }
  for (const f of forbiddenRoutes) {
    if (f.method !== undefined && f.method !== method.toUpperCase()) continue;
    if (f.path.test(bare) || f.path.test(decoded) || f.path.test(path)) return f.why;
  }
  return undefined;
}

/** `METHOD path` (a request line as recorded) is forbidden. */
export function isForbiddenRequest(line: string): boolean {
  const i = line.indexOf(' ');
  return i > 0 && forbiddenReason(line.slice(0, i), line.slice(i + 1)) !== undefined;
}
