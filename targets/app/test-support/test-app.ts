/** Runs the application in-process on 127.0.0.1, port 0, with its log lines captured. */
import type { AppConfig } from '../config.ts';
import type { LogRecord } from '../log.ts';
import { createApp, type App, type AppDeps } from '../server.ts';

export interface TestApp {
  app: App;
  port: number;
  /** Parsed log lines so far. */
  logs(): LogRecord[];
  events(): string[];
  stop(): Promise<void>;
}

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    store: 'memory',
    redisUrl: undefined,
    port: 0,
    host: '127.0.0.1',
    replica: 'test-a',
    shutdownGraceMs: 2000,
    shutdownDelayMs: 0,
    sessionTtlSeconds: 3600,
    logRequests: false,
    listenWhenReady: false,
    snapshotEveryEvents: 0,
    snapshotEveryMs: 0,
    ...overrides,
  };
}

export async function startTestApp(overrides: Partial<AppConfig> = {}, deps: AppDeps = {}): Promise<TestApp> {
  const lines: string[] = [];
  const app = createApp(testConfig(overrides), { readiness: { pollMs: 100 }, ...deps, logSink: (line) => lines.push(line) });
  const address = await app.start();
  const logs = (): LogRecord[] => lines.map((line) => JSON.parse(line) as LogRecord);
  return {
    app,
    port: address.port,
    logs,
    events: () => logs().map((record) => record.event),
    stop: async () => {
      await app.stop();
    },
  };
}
