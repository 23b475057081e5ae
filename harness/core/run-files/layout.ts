import path from 'node:path';

/**
 * Where a run keeps its files. The orchestrator writes them; the analysis reads only these files
 * (never Docker), so a run can be re-analysed and re-reported offline. Beside each, the file of this
 * module that owns its format (the others are k6's, HAProxy's, the app's or plain text).
 *
 *   reports/<run-id>/
 *     manifest.json                 run: scenario, seed, engine, versions, status, trials       manifest.ts
 *     results.json                  the analysis (versioned schema)               harness/analysis/results-file.ts
 *     report.html  summary.md  junit.xml
 *     trials/<name>/
 *       trial.json                  t0 (load start), end, initial replicas, LB URL, outcome     trial-record.ts
 *       script.bundle.js            the script as one ES2017 module: what k6 is given (harness/load/script-bundle.ts)
 *       load.ndjson                 k6 `--out json` points (either engine)
 *       load-summary.json           k6's `--summary-export`
 *       load.stdout.txt  load.stderr.txt   what the load engine printed
 *       load-generator.json         the built-in engine's figures about itself: was it saturated?  load-generator.ts
 *       events.ndjson               one fault event per executed fault                          fault-events.ts
 *       lb-states.ndjson            load balancer server state changes at HAProxy's own times, mapped to replicas   lb-states.ts
 *       lb.log                      HAProxy's log, every line, as it wrote them: `<RFC 3339 µs timestamp> <line>`
 *       lb-counters.ndjson          HAProxy's counters (per server, frontend, log drops): at each fault, slot change, end   lb-counters.ts
 *       lb-settings.json  haproxy.cfg   the load balancer settings the trial ran with, and the configuration made of them   lb-settings.ts
 *       containers/<name>.log       each container's log, same line format
 */
export function runDir(reportsDir: string, runId: string): string {
  return path.join(reportsDir, runId);
}

export function runFiles(dir: string) {
  return {
    manifest: path.join(dir, 'manifest.json'),
    results: path.join(dir, 'results.json'),
    reportHtml: path.join(dir, 'report.html'),
    summaryMd: path.join(dir, 'summary.md'),
    junitXml: path.join(dir, 'junit.xml'),
    trialsDir: path.join(dir, 'trials'),
  };
}

/** A trial's directory relative to the run's, as the manifest names it. */
export function trialDirInRun(name: string): string {
  return path.join('trials', name);
}

export function trialFiles(dir: string, name: string) {
  const trial = path.join(dir, trialDirInRun(name));
  return {
    dir: trial,
    trial: path.join(trial, 'trial.json'),
    scriptBundle: path.join(trial, 'script.bundle.js'),
    loadNdjson: path.join(trial, 'load.ndjson'),
    loadSummary: path.join(trial, 'load-summary.json'),
    loadGenerator: path.join(trial, 'load-generator.json'),
    loadStdout: path.join(trial, 'load.stdout.txt'),
    loadStderr: path.join(trial, 'load.stderr.txt'),
    events: path.join(trial, 'events.ndjson'),
    lbStates: path.join(trial, 'lb-states.ndjson'),
    lbLog: path.join(trial, 'lb.log'),
    lbCounters: path.join(trial, 'lb-counters.ndjson'),
    lbSettings: path.join(trial, 'lb-settings.json'),
    lbConfig: path.join(trial, 'haproxy.cfg'),
    containersDir: path.join(trial, 'containers'),
  };
}
