export { createK6Engine, type K6EngineOptions } from './k6-engine.ts';
export { k6RunArgs } from './run-args.ts';
export { k6ExitCode } from './exit-code.ts';
export { summaryFromExport, readMetricDefinitions } from './summary-import.ts';
