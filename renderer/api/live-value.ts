/**
 * A value read from the main process and kept current by its change event — in the order things happened, not the
 * order the answers arrive. A read's answer and the events travel apart (the browser host sends answers over HTTP
 * and events over a stream; Electron's IPC queues them separately too), so the answer to a read asked before an
 * event can arrive after it, or after the answer to a later read. Such an answer is older than what is shown:
 * it is dropped, never put over the newer value.
 */
export interface LiveValue<T> {
  /** A change event's value: the newest there is. */
  push(value: T): void;
  /** Reads; the answer (or the failure) counts only if no event and no later read came while it was asked. */
  load(read: () => Promise<T>): void;
  /** After this nothing is applied (the screen is gone). */
  close(): void;
}

export function liveValue<T>(apply: (value: T) => void, failed?: (error: unknown) => void): LiveValue<T> {
  let version = 0;
  let closed = false;
  return {
    push(value) {
      version += 1;
      if (!closed) apply(value);
    },
    load(read) {
      const asked = ++version;
      const current = () => !closed && asked === version;
      read().then(
        (value) => current() && apply(value),
        (error: unknown) => current() && failed?.(error),
      );
    },
    close() {
      closed = true;
    },
  };
}
