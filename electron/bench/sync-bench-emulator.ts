/**
 * The sync bench's demo tenant in a child process, so the figures are the sync's own: the parent side
 * (`EmulatorChild`) and the child side, which starts and shapes the tenant and applies change commands.
 *
 * The emulator's own generator ties membership density to the tenant size (10,000 groups at 100k users would be
 * tens of millions of memberships), so the child starts it with users only and adds the groups itself through the
 * emulator's control API.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What the child reports of the tenant it started. */
export interface ChildInfo {
  authorityHost: string;
  graphBaseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  caCertPath: string;
  users: number;
  groups: number;
  memberships: number;
}

/** The tenant in a child process, driven by JSON lines on stdin/stdout. */
export class EmulatorChild {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static async start(options: Record<string, number>): Promise<{ child: EmulatorChild; info: ChildInfo }> {
    const self = fileURLToPath(import.meta.url);
    const proc = spawn(process.execPath, ['--import', 'tsx', self, '--sync-bench-emulator', JSON.stringify(options)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    proc.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[emulator] ${chunk.toString()}`));
    const child = new EmulatorChild(proc);
    return { child, info: (await child.next()) as ChildInfo };
  }

  async next(): Promise<unknown> {
    const line = await this.lines.next();
    if (line.done) throw new Error('The emulator child process ended.');
    return JSON.parse(line.value) as unknown;
  }

  async send(command: Record<string, unknown>): Promise<unknown> {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    return this.next();
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The child side: starts and shapes the tenant, prints its info, then applies change commands from stdin. */
async function emulatorChild(shape: { users: number; groups: number; members: number; latencyMs: number }): Promise<void> {
  const { startEmulator } = await import('../emulator');
  const { createPrng } = await import('../emulator/prng');
  const emulator = await startEmulator({ users: shape.users, groups: 0, seed: 1 });
  const c = emulator.control;
  const prng = createPrng(2);
  const userIds = c.userIds();
  const groupIds: string[] = [];
  let memberships = 0;
  for (let g = 0; g < shape.groups; g++) {
    // 1% of groups are big (spanning delta pages), the rest small; every 50th holds the previous group (nesting).
    const size = g % 100 === 0 ? shape.members * 20 : Math.max(1, Math.round(shape.members * (0.5 + prng.next()) * (80 / 99)));
    const members = new Set<string>();
    while (members.size < Math.min(size, userIds.length)) members.add(prng.pick(userIds));
    if (g % 50 === 49) members.add(groupIds[g - 1]!);
    memberships += members.size;
    groupIds.push(
      String(
        c.addGroup({
          displayName: `Team ${g + 1}`,
          description: g % 3 === 0 ? null : `Generated team ${g + 1}`,
          members: [...members],
        }).id,
      ),
    );
  }
  c.setLatency(shape.latencyMs);
  const { authorityHost, graphBaseUrl, tenantId, clientId, clientSecret, caCertPath } = emulator.info;
  const write = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  write({
    authorityHost,
    graphBaseUrl,
    tenantId,
    clientId,
    clientSecret,
    caCertPath,
    users: userIds.length,
    groups: groupIds.length,
    memberships,
  });

  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as { cmd: string; fraction: number };
    if (command.cmd !== 'change') continue;
    const users = c.userIds();
    const n = Math.round(users.length * command.fraction);
    for (let i = 0; i < n; i++) c.updateUser(users[(i * 97) % users.length]!, { displayName: `Changed ${i}` });
    const removed = Math.min(20, n);
    for (let i = 0; i < removed; i++) c.deleteUser(users[users.length - 1 - i]!);
    for (let i = 0; i < removed; i++)
      c.addUser({ userPrincipalName: `bench.new${i}@demo-tenant.onmicrosoft.com`, displayName: `New ${i}` });
    const groupChanges = Math.round(groupIds.length * command.fraction);
    for (let i = 0; i < groupChanges; i++) {
      const group = groupIds[(i * 31) % groupIds.length]!;
      c.addMember(group, users[(i * 13) % (users.length - removed)]!);
      const first = (c.getGroup(group)!.members as string[])[0];
      if (first) c.removeMember(group, first);
    }
    write({ 'users updated': n, 'users deleted': removed, 'users added': removed, 'groups with member changes': groupChanges });
  }
  await emulator.close();
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === '--sync-bench-emulator') {
  void emulatorChild(
    JSON.parse(process.argv[3] ?? '{}') as { users: number; groups: number; members: number; latencyMs: number },
  );
}
