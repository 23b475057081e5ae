/**
 * Entry point of the reference application (bundled into one file for the image): configuration
 * from the environment, start, and graceful shutdown on SIGTERM/SIGINT. Exit codes: 0 after a clean
 * stop, 1 when the stop had to cut connections or the app failed, 2 for bad configuration.
 *
 * `main.ts seed-ledger <events> [--amount <cents>]` runs the one-shot seed of the event log instead
 * of the server (seed-command.ts), so the image's one bundle serves both.
 */
import { parseConfig } from './config.ts';
import { createLogger, errorMessage } from './log.ts';
import { runSeedCommand, SEED_COMMAND } from './seed-command.ts';
import { createApp } from './server.ts';

function main(): void {
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    const log = createLogger(process.env.REPLICA_NAME ?? 'unknown');
    for (const message of parsed.errors) {
      log.error('config_invalid', { message });
      process.stderr.write(`${message}\n`);
    }
    process.exit(2);
  }
  const { config } = parsed;
  const app = createApp(config);
  const { log } = app;

  const shutdown = (signal: string): void => {
    log.info('signal', { signal });
    // A backstop in case closing the store hangs past the grace period.
    setTimeout(() => {
      log.error('shutdown_timeout', { graceMs: config.shutdownGraceMs });
      process.exit(1);
    }, config.shutdownGraceMs + 3000).unref();
    app.stop().then(
      (result) => process.exit(result.forced ? 1 : 0),
      (error: unknown) => {
        log.error('shutdown_failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  process.on('uncaughtException', (error) => {
    log.error('uncaught_exception', { error, stack: error.stack });
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled_rejection', { error: reason, message: errorMessage(reason) });
    process.exit(1);
  });

  app.start().catch((error: unknown) => {
    log.error('start_failed', { error, message: errorMessage(error) });
    process.exit(1);
  });
}

if (process.argv[2] === SEED_COMMAND) {
  void runSeedCommand(process.argv.slice(3), process.env).then((code) => process.exit(code));
} else {
  main();
}
