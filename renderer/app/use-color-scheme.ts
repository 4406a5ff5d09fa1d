import { useSyncExternalStore } from 'react';

const query = '(prefers-color-scheme: dark)';

/** Follows the operating system's light/dark setting live. */
export function useSystemPrefersDark(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const media = window.matchMedia(query);
      media.addEventListener('change', onChange);
      return () => media.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
  );
}
