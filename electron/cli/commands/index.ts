import type { CliCommand } from '../command';
import { emulatorCommand } from './emulator';
import { expiryCommand } from './expiry';
import { previewCommand } from './preview';
import { syncCommand } from './sync';
import { validateCommand } from './validate';

/**
 * Every terminal command, by name. Add a command by importing it here; keep the list sorted.
 */
export const commands: readonly CliCommand[] = [emulatorCommand, expiryCommand, previewCommand, syncCommand, validateCommand];
