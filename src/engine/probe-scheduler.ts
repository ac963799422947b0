import type { Endpoint, EndpointResult, Observation } from '../types.js';
import { abortedResult, resultOf } from './result.js';

/**
 * The probe phase's scheduler: endpoints that accepted a connect wait here (FIFO) for a probe slot, at most
 * `concurrency` probes at once and `perHost` per host. An endpoint whose host is busy waits in that host's own
 * list and the next host is served, so one slow host never holds the others up; when a host frees a slot, its next
 * waiting endpoint goes first. Scheduling costs the same however long the inventory is: nothing is held per
 * endpoint but what waits here.
 */
export interface ProbeSchedulerOptions {
  concurrency: number;
  perHost: number;
  signal: AbortSignal;
  /** Probes one endpoint (the engine's probeEndpoint with the run's options). */
  probe: (ep: Endpoint) => Promise<{ probe: string; observation: Observation }>;
  emit: (result: EndpointResult, i: number) => void;
  /** A probe ended: the caller may start more work (connects, the next probes). */
  wake: () => void;
  /** A probe rejected (an engine bug, not a peer): the run fails. */
  fail: (err: unknown) => void;
}

interface Item {
  ep: Endpoint;
  i: number;
}

export class ProbeScheduler {
  readonly #opts: ProbeSchedulerOptions;
  #queue: Item[] = [];
  #head = 0;
  readonly #waiting = new Map<string, { list: Item[]; head: number }>();
  #waitingCount = 0;
  readonly #busy = new Map<string, number>();
  #probing = 0;
  #stopped = false;

  constructor(opts: ProbeSchedulerOptions) {
    this.#opts = opts;
  }

  /** Endpoints accepted and not probed yet (queued or waiting for their host). */
  get backlog(): number {
    return this.#queue.length - this.#head + this.#waitingCount;
  }

  /** Nothing queued and nothing running. */
  get idle(): boolean {
    return this.#probing === 0 && this.backlog === 0;
  }

  /** An endpoint that accepted: probed when a slot is free (call pump). */
  add(ep: Endpoint, i: number): void {
    this.#queue.push({ ep, i });
  }

  /** No probe starts after this (the run failed). */
  stop(): void {
    this.#stopped = true;
  }

  /** Starts queued probes within the global and per-host limits; on interrupt, every waiting endpoint ends aborted. */
  pump(): void {
    const { signal, concurrency, perHost } = this.#opts;
    while (!this.#stopped && this.#head < this.#queue.length && this.#probing < concurrency) {
      const item = this.#queue[this.#head++]!;
      if (signal.aborted) {
        this.#opts.emit(abortedResult(item.ep), item.i);
        continue;
      }
      if ((this.#busy.get(item.ep.host) ?? 0) < perHost && !this.#waiting.has(item.ep.host)) this.#start(item);
      else {
        const w = this.#waiting.get(item.ep.host);
        if (w) w.list.push(item);
        else this.#waiting.set(item.ep.host, { list: [item], head: 0 });
        this.#waitingCount++;
      }
    }
    if (signal.aborted && this.#waitingCount) {
      // Interrupted: nothing waiting for a host slot will be probed now.
      for (const w of this.#waiting.values())
        for (let k = w.head; k < w.list.length; k++) this.#opts.emit(abortedResult(w.list[k]!.ep), w.list[k]!.i);
      this.#waiting.clear();
      this.#waitingCount = 0;
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 4096) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #start({ ep, i }: Item): void {
    this.#busy.set(ep.host, (this.#busy.get(ep.host) ?? 0) + 1);
    this.#probing++;
    const t0 = performance.now();
    this.#opts.probe(ep).then(
      ({ probe, observation }) => {
        this.#probing--;
        const left = this.#busy.get(ep.host)! - 1;
        if (left === 0) this.#busy.delete(ep.host);
        else this.#busy.set(ep.host, left);
        this.#opts.emit(resultOf(ep, probe, observation, Math.round(performance.now() - t0)), i);
        this.#next(ep.host);
        this.#opts.wake();
      },
      (err: unknown) => {
        this.#stopped = true;
        this.#opts.fail(err);
      },
    );
  }

  /** The host just freed a slot: its next waiting endpoint goes first. */
  #next(host: string): void {
    const w = this.#waiting.get(host);
    if (!w || this.#stopped) return;
    const next = w.list[w.head++]!;
    this.#waitingCount--;
    if (w.head === w.list.length) this.#waiting.delete(host);
    if (this.#opts.signal.aborted) this.#opts.emit(abortedResult(next.ep), next.i);
    else this.#start(next);
  }
}
