import type { EventChannel, EventPayloads } from '../../../shared/ipc';

/** Pushes contract events to whatever renderer the host has (an Electron window, browser tabs). */
export interface EventSink {
  emit<E extends EventChannel>(event: E, payload: EventPayloads[E]): void;
}

/** A sink that fans out to listeners; hosts subscribe their transport to it. */
export class EventHub implements EventSink {
  private readonly listeners = new Set<(event: EventChannel, payload: unknown) => void>();

  emit<E extends EventChannel>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: (event: EventChannel, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
