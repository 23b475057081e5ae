/**
 * The app variables a scenario may not set are the ones the cluster sets (harness/core/app-env.ts
 * owns the list, and the replica's environment is built from it): refused in every env, with the
 * list in the line, and overridden on a replica even if a plan came from elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { HARNESS_APP_ENV, replicaEnv } from '../core/app-env.ts';
import { problemsOf, withTop } from './testing/valid.ts';

describe('app variables the harness sets', () => {
  it('win over the scenario\'s on a replica, and an unset one stays unset', () => {
    const harness = { REPLICA_NAME: 'app-1', PORT: '8080', STATE_STORE: 'memory', REDIS_URL: undefined };
    expect(replicaEnv({ STATE_STORE: 'redis', REDIS_URL: 'redis://x:1', SNAPSHOT_EVERY_EVENTS: '5' }, harness)).toEqual({
      REPLICA_NAME: 'app-1',
      PORT: '8080',
      STATE_STORE: 'memory',
      SNAPSHOT_EVERY_EVENTS: '5',
    });
  });

  it.each(HARNESS_APP_ENV)('%s is refused in app.env and in a variant\'s, naming the whole list', (name) => {
    const expected = `expected a variable the harness does not set itself (it sets ${HARNESS_APP_ENV.join(', ')} on every replica)`;
    expect(problemsOf(withTop({ app: { env: { [name]: 'x' } } }))).toEqual([`app.env.${name}: "x" is not allowed; ${expected}`]);
    const variant = { name: 'v', architecture: 'stateless', app: { env: { [name]: 'x' } } };
    expect(problemsOf(withTop({ architectures: ['stateful', variant] }))).toEqual([`architectures[1].app.env.${name}: "x" is not allowed; ${expected}`]);
  });
});
