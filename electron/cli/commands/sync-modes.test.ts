import { chmodSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncFixture, type SyncFixture } from '../../services/sync/test-support';
import type { CliIo } from '../command';
import { main } from '../index';

/** An unattended `entra-sync sync` into the app's data folder leaves nothing there that other local users can read. */
describe.skipIf(process.platform === 'win32')('entra-sync sync in the data folder', () => {
  let f: SyncFixture;
  beforeAll(async () => {
    f = await startSyncFixture({ users: 40, groups: 6, seed: 11 });
  });
  afterAll(async () => {
    await f.close();
  });

  it('tightens the folder an earlier version left 0755 and writes sync.db 0600', async () => {
    const dataDir = join(f.dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'settings.json'), '{}', { mode: 0o644 });
    const { info } = f.emulator;
    const io: CliIo = {
      stdout: () => {},
      stderr: () => {},
      env: {
        AZURE_TENANT_ID: info.tenantId,
        AZURE_CLIENT_ID: info.clientId,
        AZURE_CLIENT_SECRET: info.clientSecret,
        AZURE_AUTHORITY_HOST: info.authorityHost,
        ENTRA_GRAPH_BASE_URL: info.graphBaseUrl,
        NODE_EXTRA_CA_CERTS: info.caCertPath,
        ENTRA_SYNC_DATA_DIR: dataDir,
      },
      stopSignal: new Promise(() => {}),
    };
    expect(await main(['sync', '--json'], io)).toBe(0);
    const modes = [dataDir, ...readdirSync(dataDir).map((name) => join(dataDir, name))].map(
      (path) => `${path.slice(dataDir.length) || '/'} ${(lstatSync(path).mode & 0o777).toString(8)}`,
    );
    expect(modes).toEqual(expect.arrayContaining([expect.stringMatching(/^\/sync\.db /)]));
    expect(modes.filter((line) => !/ (600|700)$/.test(line))).toEqual([]);
  });
});
