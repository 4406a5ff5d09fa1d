import { createContext, useContext } from 'react';
import type { AppInfo } from '../../shared/ipc';

/**
 * What the app shell (renderer/app/app.tsx) lends the pages that change the shell itself: the settings page
 * switches the theme live and sends the window back to the wizard or the chooser.
 */
export interface ShellActions {
  /** The app's info as the shell holds it (version, theme, secret storage, data folder). */
  readonly info: AppInfo;
  /** The preferences were saved: the shell applies the answer at once (theme), without a reload. */
  readonly infoChanged: (info: AppInfo) => void;
  /** Reads onboarding, setup and connection again and shows the screen they call for (main, wizard, chooser). */
  readonly reload: () => void;
}

export const ShellContext = createContext<ShellActions | undefined>(undefined);

/** The shell's actions; throws outside the shell, where no page is shown. */
export function useShell(): ShellActions {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell must be used inside the app shell');
  return shell;
}
