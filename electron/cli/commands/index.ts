import type { CliCommand } from '../command';
import { previewCommand } from './preview';

/**
 * Every terminal command, by name. Add a command by importing it here; keep the list sorted.
 */
export const commands: readonly CliCommand[] = [previewCommand];
