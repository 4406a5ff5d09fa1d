// `npm start`: builds and opens the desktop app, or says in one line why it cannot and what to do instead.
import { spawn } from 'node:child_process';
import { findElectronBinary } from './electron-binary.js';

if (!findElectronBinary()) {
  console.error(
    'Entra Sync Assistant: the Electron binary is not installed (it downloads from GitHub, which this machine cannot reach). ' +
      'Run `npm run preview` to use the app in your browser instead.',
  );
  process.exit(1);
}

const child = spawn('npx', ['electron-vite', 'preview'], { stdio: 'inherit', shell: process.platform === 'win32' });
child.on('exit', (code) => process.exit(code ?? 1));
