import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints a planted file at `filePath` and returns the messages of the boundary rule. */
async function boundaryMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries (architecture.md), enforced by lint', () => {
  it.each([
    ['shared/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['shared/planted.ts', "import { join } from 'path';\nexport const x = join;\n"],
    ['shared/planted.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    [
      'shared/planted.ts',
      "import { createAppCore } from '../electron/services/app/app-core';\nexport const x = createAppCore;\n",
    ],
    [
      'shared/contract/planted.ts',
      "import { createAppCore } from '../../electron/services/app/app-core';\nexport const x = createAppCore;\n",
    ],
    ['shared/contract/planted.ts', "import { randomUUID } from 'node:crypto';\nexport const x = randomUUID;\n"],
    ['renderer/planted.tsx', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['renderer/planted.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    [
      'renderer/app/planted.tsx',
      "import { createAppCore } from '../../electron/services/app/app-core';\nexport const x = createAppCore;\n",
    ],
    ['renderer/dashboard/planted.tsx', "import { pages } from '../app/pages';\nexport const x = pages;\n"],
    ['renderer/app/planted.tsx', "import type { PageEntry } from './pages';\nexport type X = PageEntry;\n"],
    ['renderer/app/main-shell.tsx', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['electron/services/planted.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/services/planted.ts', "import Store from 'electron-store';\nexport const x = Store;\n"],
    [
      'electron/services/app/planted.ts',
      "import { createMainWindow } from '../../main/window';\nexport const x = createMainWindow;\n",
    ],
    [
      'electron/services/connection/planted.ts',
      "import { startEmulator } from '../../emulator';\nexport const x = startEmulator;\n",
    ],
    [
      'electron/services/schedule/planted.ts',
      "import type { EmulatorControl } from '../../emulator/types';\nexport type X = EmulatorControl;\n",
    ],
    [
      'electron/services/targets/jira/planted.ts',
      "import { startJiraEmulator } from '../../../emulator/jira';\nexport const x = startJiraEmulator;\n",
    ],
    [
      'electron/services/connection/planted.ts',
      "import { startSyncWorld } from '../sync/test-support';\nexport const x = startSyncWorld;\n",
    ],
    ['electron/services/app/planted.ts', "import { createTestCore } from './test-core';\nexport const x = createTestCore;\n"],
    ['electron/emulator/planted.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/main/planted.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n"],
    ['electron/cli/planted.ts', "import { app } from 'electron';\nexport const x = app;\n"],
  ])('rejects a planted bad import in %s', async (filePath, code) => {
    expect((await boundaryMessages(filePath, code)).length).toBeGreaterThan(0);
  });

  it.each([
    ['shared/planted.ts', "import { z } from 'zod';\nexport const x = z;\n"],
    ['shared/contract/planted.ts', "import { settingsSchema } from '../settings';\nexport const x = settingsSchema;\n"],
    ['renderer/planted.tsx', "import { requestChannels } from '../shared/ipc';\nexport const x = requestChannels;\n"],
    ['electron/services/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['renderer/app/main-shell.tsx', "import { pages } from './pages';\nexport const x = pages;\n"],
    ['renderer/dashboard/planted.tsx', "import type { PageProps } from '../app/page-ids';\nexport type X = PageProps;\n"],
    ['electron/main/planted.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/main/ipc-main.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n"],
    [
      'electron/services/connection/planted.test.ts',
      "import { startEmulator } from '../../emulator';\nexport const x = startEmulator;\n",
    ],
    [
      'electron/services/targets/jira/test-support.ts',
      "import { startJiraEmulator } from '../../../emulator/jira';\nexport const x = startJiraEmulator;\n",
    ],
    [
      'electron/services/sync/planted.test.ts',
      "import { startSyncWorld } from './test-support';\nexport const x = startSyncWorld;\n",
    ],
    [
      'electron/services/connection/planted.ts',
      "import type { DemoTenantPort } from '../ports';\nexport type X = DemoTenantPort;\n",
    ],
    [
      'electron/browser-host/planted.ts',
      "import { emulatedDemoTenant } from '../emulator';\nexport const x = emulatedDemoTenant;\n",
    ],
  ])('allows a legitimate import in %s', async (filePath, code) => {
    expect(await boundaryMessages(filePath, code)).toEqual([]);
  });
});
