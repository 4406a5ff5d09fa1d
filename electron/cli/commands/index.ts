import type { CliCommand } from '../command';
import { benchCommand } from './bench';
import { emulatorCommand } from './emulator';
import { expiryCommand } from './expiry';
import { previewCommand } from './preview';
import { registerCommand } from './register';
import { rotateCommand } from './rotate';
import { syncCommand } from './sync';
import { targetsCommand } from './targets';
import { validateCommand } from './validate';

/**
 * Every terminal command, by name. Add a command by importing it here; keep the list sorted.
 */
export const commands: readonly CliCommand[] = [
  benchCommand,
  emulatorCommand,
  expiryCommand,
  previewCommand,
  registerCommand,
  rotateCommand,
  syncCommand,
  targetsCommand,
  validateCommand,
];
