import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const config = JSON.parse(readFileSync('electron-builder.json', 'utf8')) as {
  appId: string;
  productName: string;
  files: string[];
  icon: string;
  win: { target: { target: string }[] };
  mac: { target: { target: string }[]; entitlements: string };
  linux: { target: string[] };
  directories: { output: string };
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const data = readFileSync(path);
  expect(data.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('electron-builder configuration', () => {
  it('names the app and targets every platform the issue lists', () => {
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.productName).toBe('Entra Sync Assistant');
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
    expect(config.linux.target.sort()).toEqual(['AppImage', 'deb']);
    expect(existsSync(config.mac.entitlements)).toBe(true);
  });

  it('has a square icon large enough for every platform', () => {
    const { width, height } = pngSize(config.icon);
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
  });

  it('packs only built output: no sources, tests or maps', () => {
    const included = config.files.filter((f) => !f.startsWith('!'));
    expect(included.sort()).toEqual(['out/**/*', 'package.json']);
    expect(config.files).toContain('!out/**/*.map');
    expect(pkg.main.startsWith('out/')).toBe(true);
    expect(config.directories.output).not.toBe('out');
  });

  it('keeps Electron and the builder out of the shipped dependencies', () => {
    for (const name of ['electron', 'electron-builder', 'electron-vite']) {
      expect(pkg.devDependencies[name], name).toBeDefined();
      expect(pkg.dependencies[name], name).toBeUndefined();
    }
  });
});
