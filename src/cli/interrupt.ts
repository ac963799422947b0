import type { EndpointPlan } from '../inventory/expand.js';
import { plural } from '../text.js';
import type { EndpointResult } from '../types.js';

/**
 * A scan's side of Ctrl-C (the handlers themselves are in signals.ts). At the first signal: the progress bar stops,
 * one line on stderr says what happens now, and the endpoint source ends — the endpoints never started are counted
 * (`run.notStarted`), not produced, probed or listed one by one: a /16 × 3 ports interrupted early was 375,175
 * `error … interrupted` rows and seconds of work. Probes in flight end (the engine aborts them) and their rows stay.
 */
export class ScanInterrupt {
  readonly #signal: AbortSignal | undefined;
  #tested = 0;
  #listed = 0;

  constructor(signal: AbortSignal | undefined, onInterrupt: (tested: number) => void) {
    this.#signal = signal;
    if (signal?.aborted) onInterrupt(0);
    else signal?.addEventListener('abort', () => onInterrupt(this.#tested), { once: true });
  }

  get interrupted(): boolean {
    return this.#signal?.aborted === true;
  }

  /** The plan, ending at the first signal: endpoints not yet taken by the connect phase are never produced. */
  source(plan: EndpointPlan): EndpointPlan {
    const stop = () => this.interrupted;
    return {
      count: plan.count,
      declarations: plan.declarations,
      *[Symbol.iterator]() {
        for (const ep of plan) {
          if (stop()) return;
          yield ep;
        }
      },
    };
  }

  /**
   * Whether a result is a row of the report: false for an endpoint the interrupt caught before any probe began
   * (the engine's EA_ABORTED with no probe), which is only counted.
   */
  keep(result: EndpointResult): boolean {
    if (result.probe === '-' && result.error?.code === 'EA_ABORTED') return false;
    this.#listed++;
    if (!this.interrupted) this.#tested++;
    return true;
  }

  /** Endpoints of `total` that have no row: never started. */
  notStarted(total: number): number {
    return total - this.#listed;
  }
}

/** The line printed at the first signal. */
export function interruptLine(tested: number): string {
  return `interrupted: writing the report of ${plural(tested, 'tested endpoint')}; press Ctrl-C again to quit now\n`;
}
