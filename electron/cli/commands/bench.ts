import { benches } from '../../bench';
import { ExitCode, UsageError, type CliCommand } from '../command';

const usage = `Usage: entra-sync bench [NAME] [--OPTION VALUE ...]

Runs the benchmarks and prints their figures (nothing is asserted on time). Without NAME, runs all of them.
Options are passed to the benches, e.g. --users 100000 for the emulator bench.

Benches:
${benches.map((b) => `  ${b.name.padEnd(12)} ${b.summary}`).join('\n')}`;

/** `entra-sync bench`: runs all benches or the named one. */
export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'Run the performance benchmarks and print their figures',
  usage,
  async run(argv, io) {
    const names: string[] = [];
    const options: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i] as string;
      if (arg.startsWith('--')) {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value.`);
        options[arg.slice(2)] = value;
        i++;
      } else names.push(arg);
    }
    const selected = names.length === 0 ? benches : benches.filter((b) => names.includes(b.name));
    const unknown = names.filter((n) => !benches.some((b) => b.name === n));
    if (unknown.length > 0) throw new UsageError(`unknown bench ${unknown.join(', ')}.`);
    for (const bench of selected) {
      io.stdout(`== ${bench.name}: ${bench.summary}\n`);
      await bench.run({ print: (line) => io.stdout(`${line}\n`), options });
    }
    return ExitCode.ok;
  },
};
