/** The Electron executable's path, or undefined when no binary is installed. */
export function findElectronBinary(env?: NodeJS.ProcessEnv): string | undefined;
