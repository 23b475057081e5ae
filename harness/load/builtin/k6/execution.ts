/** `k6/execution`: what a VU knows about itself, its scenario, the instance and the test. */
import { TestAbortError } from '../runtime/interrupt.ts';
import type { ModuleVu, ScenarioInfo } from './module-vu.ts';

export function createExecutionModule(vu: ModuleVu): Record<string, unknown> {
  const instance = vu.run.instance;
  const scenarioField = <T>(read: (s: ScenarioInfo) => T): T => {
    if (!vu.scenario) throw new Error('getting scenario information outside of the VU context is not supported');
    return read(vu.scenario);
  };
  const exec = {
    vu: {
      get idInInstance() {
        return vu.idInTest;
      },
      get idInTest() {
        return vu.idInTest;
      },
      get iterationInInstance() {
        return Math.max(0, vu.iterationInInstance);
      },
      get iterationInScenario() {
        return Math.max(0, vu.iterationInScenario);
      },
      get tags() {
        return vu.scriptTags;
      },
      metrics: {
        get tags() {
          return vu.scriptTags;
        },
        get metadata() {
          return vu.metadata;
        },
      },
    },
    scenario: {
      get name() {
        return scenarioField((s) => s.name);
      },
      get executor() {
        return scenarioField((s) => s.executor);
      },
      get startTime() {
        return scenarioField((s) => s.startTime);
      },
      get progress() {
        return scenarioField((s) => s.progress());
      },
      get iterationInInstance() {
        return scenarioField(() => Math.max(0, vu.iterationInTest));
      },
      get iterationInTest() {
        return scenarioField(() => Math.max(0, vu.iterationInTest));
      },
    },
    instance: {
      get iterationsInterrupted() {
        return instance.iterationsInterrupted();
      },
      get iterationsCompleted() {
        return instance.iterationsCompleted();
      },
      get vusActive() {
        return instance.vusActive();
      },
      get vusInitialized() {
        return instance.vusInitialized();
      },
      get currentTestRunDuration() {
        return vu.run.elapsed();
      },
    },
    test: {
      abort(reason?: unknown): never {
        throw new TestAbortError(reason === undefined ? 'test aborted' : String(reason));
      },
      get options() {
        return instance.options();
      },
    },
  };
  return { ...exec, default: exec };
}
