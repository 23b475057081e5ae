import yargs from 'yargs';
import { cleanCommand } from './commands/clean.ts';
import { compareCommand } from './commands/compare.ts';
import { doctorCommand } from './commands/doctor.ts';
import { downCommand } from './commands/down.ts';
import { gateCommand } from './commands/gate.ts';
import { imagesCommand } from './commands/images.ts';
import { loadCommand } from './commands/load.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { upCommand } from './commands/up.ts';
import { validateCommand } from './commands/validate.ts';
import { printError } from './output.ts';
import { usageError } from './usage-error.ts';

/**
 * The CLI entry: parses, runs one command, and turns its outcome into an exit code. Commands report
 * their own exit code by resolving `process.exitCode`; errors reach here and are printed once.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await yargs([...argv])
      .scriptName('harness')
      .usage('$0 <command> [options]\n\nLoad-and-failure experiments on where client state lives.')
      .command(runCommand)
      .command(reportCommand)
      .command(gateCommand)
      .command(compareCommand)
      .command(validateCommand)
      .command(loadCommand)
      .command(upCommand)
      .command(downCommand)
      .command(cleanCommand)
      .command(doctorCommand)
      .command(imagesCommand)
      .demandCommand(1, 'Name a command (see --help).')
      .strict()
      .recommendCommands()
      .help()
      .alias('help', 'h')
      .version(false)
      .wrap(Math.min(110, process.stdout.columns ?? 100))
      .fail((message: string | undefined, error: Error | undefined) => {
        // Usage errors from yargs become input errors (exit 2) without a stack trace.
        throw usageError(message, error);
      })
      .parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return printError(error);
  }
}
