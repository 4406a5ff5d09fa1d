import type { CliCommand } from '../command';
import { emulatorCommand } from './emulator';
import { previewCommand } from './preview';

/**
 * Every terminal command, by name. Add a command by importing it here; keep the list sorted.
 */
export const commands: readonly CliCommand[] = [emulatorCommand, previewCommand];
