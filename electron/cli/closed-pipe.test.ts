import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The terminal host as a shell runs it, its stdout piped into a reader that stops after the first line. */
describe('entra-sync with a reader that leaves early (| head -1)', () => {
  it('finishes quietly, without an EPIPE stack trace, with its own exit status', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'entra-sync.js'), 'validate', '--demo'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let first = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString().split('\n')[0] ?? '';
      // What `head -1` does after its line: close the pipe while the command is still writing.
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(first).toMatch(/^Testing /);
    expect(stderr).not.toMatch(/EPIPE|Error|at .*\.js:\d+/);
    expect(code).toBe(0);
  });
});
