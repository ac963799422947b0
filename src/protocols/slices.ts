/**
 * Long loops over a server's data (a 9,000-row listing) run in slices with a turn of the event loop between them
 * (setImmediate: after the poll phase), so other endpoints' replies are read and their timers fire while one
 * endpoint's listing is converted. Work per slice is bounded by the slice size, not by the server.
 */
export const sliceSize = 500;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `items.map(fn)`, yielding to the event loop every `slice` items (no yield at all for a short list). */
export async function mapInSlices<T, R>(items: readonly T[], fn: (x: T) => R, slice = sliceSize): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % slice === 0) await turn();
    out[i] = fn(items[i]!);
  }
  return out;
}
