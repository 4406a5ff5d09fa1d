import { commands } from './commands';
import { ExitCode, UsageError, type CliIo } from './command';
import { takeDataDir } from './data-folder';
import { withSavedConnection } from './saved-connection';

const usage = () =>
  [
    'Usage: entra-sync <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Every command takes --data-dir DIR (or ENTRA_SYNC_DATA_DIR): the folder of settings, targets, history and links',
    "(default: the desktop app's own, so the app and the terminal share them).",
    '',
    'Run `entra-sync <command> --help` for the options of one command.',
  ].join('\n');

/** Runs the terminal host with the given arguments and returns the exit code. */
export async function main(argvIn: readonly string[], ioIn: CliIo): Promise<number> {
  const taken = takeDataDir(argvIn, ioIn);
  const { io } = taken;
  if (taken.error) {
    io.stderr(`entra-sync: ${taken.error}\n`);
    return ExitCode.usage;
  }
  const [name, ...rest] = taken.argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage() + '\n');
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`entra-sync: unknown command '${name}'.\n${usage()}\n`);
    return ExitCode.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage + '\n');
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, await withSavedConnection(name, rest, io));
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`entra-sync ${name}: ${error.message}\n${command.usage}\n`);
      return ExitCode.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`entra-sync ${name}: ${message}\n`);
    return ExitCode.failed;
  }
}

/** Builds the real process IO: stdout/stderr and a promise that resolves on SIGINT or SIGTERM. */
export function processIo(): CliIo {
  const stopSignal = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  return {
    stdout: untilReaderLeaves(process.stdout),
    stderr: untilReaderLeaves(process.stderr),
    env: process.env,
    stopSignal,
    ...(process.stdin.isTTY ? { readSecret: hiddenPrompt } : {}),
  };
}

/** Reads one line from the terminal with echo off (raw mode), for a token typed by hand. */
function hiddenPrompt(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * Writes to a stream until its reader goes away: with `entra-sync validate | head -1` the pipe closes after one
 * line, and the rest of the output has nowhere to go. That is not a failure (no EPIPE stack trace): the command
 * finishes its work quietly and exits with its own status. Any other write error still surfaces.
 */
function untilReaderLeaves(stream: NodeJS.WriteStream): (text: string) => void {
  let gone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    gone = true;
  });
  return (text) => {
    if (!gone) stream.write(text);
  };
}
