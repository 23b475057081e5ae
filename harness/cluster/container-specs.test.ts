import { describe, expect, it } from 'vitest';
import { planCluster } from '../plan/cluster-plan.ts';
import { haproxyConfig } from '../../targets/lb/haproxy-config.ts';
import { datastoreSpec, loadBalancerSpec, networkSpecs, replicaSpec, seedJobSpec } from './container-specs.ts';

const images = { app: 'harness-app:a1', base: 'harness-base:b2' };
const createdAt = new Date('2026-12-01T10:00:00.000Z');
const MiB = 1024 * 1024;
const limits = { memoryBytes: 256 * MiB, nanoCpus: 1e9 };

function labels(role: string, architecture = 'stateless'): Record<string, string> {
  return {
    'io.harness.managed': 'true',
    'io.harness.run': 'r1',
    'io.harness.role': role,
    'io.harness.architecture': architecture,
    'io.harness.created': '2026-12-01T10:00:00.000Z',
  };
}

const stateless = planCluster({ runId: 'r1', architecture: 'stateless', replicas: 2, appEnv: { SNAPSHOT_EVERY_MS: '0' } });
const stateful = planCluster({ runId: 'r1', architecture: 'stateful', replicas: 3, maxReplicas: 5 });

describe('networkSpecs', () => {
  it("names the run's network, then the load balancer's, both labelled for the run", () => {
    expect(networkSpecs(stateless, createdAt)).toEqual([
      { name: 'harness-r1', labels: labels('lb') },
      { name: 'harness-r1-front', labels: labels('lb') },
    ]);
  });
});

describe('loadBalancerSpec', () => {
  it('runs HAProxy as nobody on the front network with its configuration, its port on 127.0.0.1 and fast ARP retries', () => {
    const { spec, config } = loadBalancerSpec(stateful, images, 'c00c1e', createdAt);
    expect(spec).toEqual({
      name: 'harness-r1-lb',
      image: 'harness-base:b2',
      labels: labels('lb', 'stateful'),
      network: 'harness-r1-front',
      user: '65534:65534',
      cmd: ['haproxy', '-W', '-db', '-f', '/etc/harness/haproxy.cfg'],
      files: { '/etc/harness/haproxy.cfg': config },
      publishOnLoopback: 8080,
      sysctls: { 'net.ipv4.neigh.eth0.retrans_time_ms': '10' },
      memoryBytes: limits.memoryBytes,
      nanoCpus: limits.nanoCpus,
    });
  });

  it('configures one slot per possible replica behind the alias `app`, with the plan settings and the cookie key', () => {
    const { config } = loadBalancerSpec(stateful, images, 'c00c1e', createdAt);
    expect(config).toBe(
      haproxyConfig({ maxReplicas: 5, appAlias: 'app', appPort: 8080, frontendPort: 8080, runtimeApiPort: 9999, cookieKey: 'c00c1e', settings: stateful.lb }),
    );
    expect(config).toContain('server-template app 1-5 app:8080 check');
    expect(config).toContain('dynamic-cookie-key c00c1e');
  });
});

describe('replicaSpec', () => {
  it("puts replica k on the run's network alone, named and labelled by its index, with the app's environment", () => {
    expect(replicaSpec(stateless, images, 3, createdAt)).toEqual({
      name: 'harness-r1-app-3',
      image: 'harness-app:a1',
      labels: { ...labels('app'), 'io.harness.replica': '3' },
      network: 'harness-r1',
      env: { SNAPSHOT_EVERY_MS: '0', REPLICA_NAME: 'app-3', PORT: '8080', STATE_STORE: 'redis', REDIS_URL: 'redis://redis:6379' },
      memoryBytes: limits.memoryBytes,
      nanoCpus: limits.nanoCpus,
      stopTimeoutSeconds: 10,
    });
  });

  it('keeps sessions in memory and names no data tier for the stateful architecture', () => {
    expect(replicaSpec(stateful, images, 1, createdAt).env).toEqual({ REPLICA_NAME: 'app-1', PORT: '8080', STATE_STORE: 'memory' });
  });

  it('points an event-sourced replica at its event log in the data tier', () => {
    const plan = planCluster({ runId: 'r1', architecture: 'event-sourced', replicas: 1 });
    expect(replicaSpec(plan, images, 1, createdAt).env).toMatchObject({ STATE_STORE: 'event-log', REDIS_URL: 'redis://redis:6379' });
  });
});

describe('datastoreSpec', () => {
  it("runs Redis as nobody under the alias `redis`, its append-only file inside the container", () => {
    expect(datastoreSpec(stateless, images, createdAt)).toEqual({
      name: 'harness-r1-redis',
      image: 'harness-base:b2',
      labels: labels('datastore'),
      network: 'harness-r1',
      aliases: ['redis'],
      user: '65534:65534',
      cmd: ['redis-server', '--bind', '0.0.0.0', '--protected-mode', 'no', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', '/tmp'],
      memoryBytes: limits.memoryBytes,
      nanoCpus: limits.nanoCpus,
    });
  });

  it('gives a seeded ledger room in memory', () => {
    const plan = planCluster({ runId: 'r1', architecture: 'event-sourced', replicas: 1, seedEvents: 100_000 });
    expect(datastoreSpec(plan, images, createdAt).memoryBytes).toBe(256 * MiB + 100_000 * 400);
  });
});

describe('seedJobSpec', () => {
  it("runs the app image's seed-ledger command for the plan's events against the run's Redis", () => {
    const plan = planCluster({ runId: 'r1', architecture: 'event-sourced', replicas: 1, seedEvents: 300_000 });
    expect(seedJobSpec(plan, images, createdAt)).toEqual({
      name: 'harness-r1-seed-ledger',
      image: 'harness-app:a1',
      labels: labels('job', 'event-sourced'),
      network: 'harness-r1',
      env: { REDIS_URL: 'redis://redis:6379', REPLICA_NAME: 'seed-ledger' },
      cmd: ['node', '/opt/app/app.cjs', 'seed-ledger', '300000'],
      memoryBytes: limits.memoryBytes,
      nanoCpus: limits.nanoCpus,
    });
  });
});
