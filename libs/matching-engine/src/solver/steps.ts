/**
 * Passes written as generators that yield at points where their state is
 * consistent (a valid plan), so that one body serves a synchronous call and
 * one that lets the rest of a process run between its steps.
 */
export type Steps<R> = Generator<void, R, void>;

/** Runs a stepwise pass to its end without pausing; returns its value. */
export function runToEnd<R>(steps: Steps<R>): R {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs a stepwise pass, giving the event loop a turn (`setImmediate`: pending I/O and timers run) at each pause. */
export async function runYielding<R>(steps: Steps<R>): Promise<R> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
