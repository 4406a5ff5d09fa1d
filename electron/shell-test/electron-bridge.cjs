'use strict';
/**
 * What `electron` resolves to while the shell tier runs (see load-shell.ts). Each export forwards to the stand-in of
 * the scenario running now, so modules that captured `electron` once (electron-store, electron-log) follow along.
 * Written as `exports.name = …` so Node's CommonJS lexer finds the named exports for `import { app } from 'electron'`.
 */
const key = Symbol.for('entra-sync.shell-test.electron');

function current(name) {
  const standIn = globalThis[key];
  if (!standIn) throw new Error('The shell tier loaded Electron without a stand-in installed.');
  return standIn[name];
}

function forward(name) {
  return new Proxy(function standIn() {}, {
    get(_target, property) {
      const target = current(name);
      const value = Reflect.get(target, property);
      const isClass = typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
      return typeof value === 'function' && !isClass ? value.bind(target) : value;
    },
    set: (_target, property, value) => Reflect.set(current(name), property, value),
    has: (_target, property) => property in current(name),
    construct: (_target, args) => Reflect.construct(current(name), args),
  });
}

exports.app = forward('app');
exports.BrowserWindow = forward('BrowserWindow');
exports.dialog = forward('dialog');
exports.Menu = forward('Menu');
exports.Notification = forward('Notification');
exports.Tray = forward('Tray');
exports.ipcMain = forward('ipcMain');
exports.nativeImage = forward('nativeImage');
exports.nativeTheme = forward('nativeTheme');
exports.powerMonitor = forward('powerMonitor');
exports.safeStorage = forward('safeStorage');
exports.session = forward('session');
exports.shell = forward('shell');
