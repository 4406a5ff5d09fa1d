/** A terminal-host command: parses its own arguments, prints, and returns the process exit code. */
export interface CliCommand {
  readonly name: string;
  /** One line for `entra-sync --help`. */
  readonly summary: string;
  /** Full usage text for `entra-sync <name> --help`. */
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Where a command reads and writes: the real process in production, buffers in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); long-running commands await it. */
  readonly stopSignal: Promise<void>;
  /** Asks for a secret without echoing it; absent when stdin is not a terminal. */
  readonly readSecret?: (prompt: string) => Promise<string>;
}

/** Exit codes shared by all commands. Commands may define more specific ones in their usage text. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
} as const;

export class UsageError extends Error {
  readonly code = 'usage';
}
