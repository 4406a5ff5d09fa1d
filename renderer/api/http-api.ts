import { BoundaryErrorCode, type Envelope } from '../../shared/errors';
import { eventChannels, type Api, type EventChannel } from '../../shared/ipc';

/**
 * `window.api` for the browser host: the same contract over HTTP (requests) and server-sent events.
 * The per-run token travels as a same-site cookie set when the page was first opened.
 */
export function createHttpApi(): Api {
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  let source: EventSource | undefined;

  const ensureStream = () => {
    if (source) return;
    source = new EventSource('/api/events');
    for (const channel of eventChannels) {
      source.addEventListener(channel, (message) => {
        const payload = JSON.parse((message as MessageEvent<string>).data) as never;
        for (const listener of listeners.get(channel) ?? []) listener(payload);
      });
    }
  };

  return {
    async invoke(channel, args) {
      try {
        const response = await fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify({ args }),
        });
        return (await response.json()) as Envelope<never>;
      } catch {
        return {
          ok: false,
          error: {
            code: BoundaryErrorCode.internal,
            message: 'The app’s local service is not answering. Is `npm run preview` still running?',
          },
        };
      }
    },
    on(event, listener) {
      ensureStream();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}
