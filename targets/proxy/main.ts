/**
 * Entry point of the fault proxy (bundled into one CommonJS file, like the app): Toxiproxy's HTTP
 * API on -host:-port, the proxies of -config created at start, JSON log lines on stdout. Exit
 * codes: 0 after SIGTERM/SIGINT, 1 when the API cannot listen, 2 for bad arguments or a bad config.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { createLogger, errorMessage } from '../app/log.ts';
import { ApiError } from './api-error.ts';
import { startApiServer } from './api-server.ts';
import { parseCliOptions } from './cli-options.ts';
import { ProxyRegistry, readProxyInput } from './proxy-registry.ts';

async function main(): Promise<number> {
  const parsed = parseCliOptions(process.argv.slice(2));
  if (!parsed.ok) {
    (parsed.help ? process.stdout : process.stderr).write(`${parsed.error}\n`);
    return parsed.help ? 0 : 2;
  }
  const { options } = parsed;
  const log = createLogger(hostname());
  const registry = new ProxyRegistry();

  if (options.config !== undefined) {
    try {
      const entries: unknown = JSON.parse(await readFile(options.config, 'utf8'));
      if (!Array.isArray(entries)) throw new Error('expected a JSON array of proxies');
      const proxies = await registry.populate(entries.map(readProxyInput));
      log.info('populated', { config: options.config, proxies: proxies.map((p) => p.name) });
    } catch (error) {
      const message = `-config ${options.config}: ${error instanceof ApiError || error instanceof Error ? error.message : String(error)}`;
      log.error('config_invalid', { message });
      process.stderr.write(`${message}\n`);
      await registry.closeAll();
      return 2;
    }
  }

  const api = await startApiServer({ host: options.host, port: options.port, registry, log }).catch((error: unknown) => {
    log.error('listen_failed', { host: options.host, port: options.port, message: errorMessage(error) });
    return undefined;
  });
  if (api === undefined) {
    await registry.closeAll();
    return 1;
  }
  log.info('listening', { host: options.host, port: api.port });

  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      log.info('signal', { signal });
      void Promise.all([api.close(), registry.closeAll()]).then(() => resolve(0));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${errorMessage(error)}\n`);
    process.exit(1);
  },
);
