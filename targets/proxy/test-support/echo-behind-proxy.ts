/**
 * Hooks for a test file whose tests go through the fault proxy to an echo server: one echo server
 * for the file, a fresh proxy (API and registry) for each test, closed after it.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startFaultProxyFixture, type FaultProxyFixture } from './fault-proxy-fixture.ts';
import { startEchoServer, type LocalServer } from './local-servers.ts';

export interface EchoBehindProxy {
  readonly echo: LocalServer;
  readonly fixture: FaultProxyFixture;
}

export function useEchoBehindFaultProxy(): EchoBehindProxy {
  let echo: LocalServer | undefined;
  let fixture: FaultProxyFixture | undefined;
  beforeAll(async () => {
    echo = await startEchoServer();
  });
  afterAll(async () => {
    await echo?.close();
  });
  beforeEach(async () => {
    fixture = await startFaultProxyFixture();
  });
  afterEach(async () => {
    await fixture?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is used outside a test`);
    return value;
  };
  return {
    get echo() {
      return started(echo, 'the echo server');
    },
    get fixture() {
      return started(fixture, 'the fault proxy');
    },
  };
}
