import path from 'node:path';

/**
 * Where a run keeps its files. The orchestrator writes them; the analysis reads only these files
 * (never Docker), so a run can be re-analysed and re-reported offline.
 *
 *   reports/<run-id>/
 *     manifest.json                 run: scenario, seed, engine, versions, status, trials
 *     results.json                  the analysis (versioned schema)
 *     report.html  summary.md  junit.xml
 *     trials/<architecture>/
 *       trial.json                  t0 (load start), end, initial replicas, images, LB URL
 *       script.bundle.js            the script as one ES2017 module: what k6 is given (harness/load/script-bundle.ts)
 *       load.ndjson                 k6 `--out json` points (either engine)
 *       load-summary.json           k6's handleSummary data object
 *       load-generator.json         the built-in engine's figures about itself: was it saturated?
 *       events.ndjson               one FaultEvent per executed fault (harness/faults/fault-event.ts)
 *       lb-states.ndjson            load balancer server state changes at HAProxy's own times, mapped to replicas
 *       lb.log                      HAProxy's log, every line, as it wrote them: `<RFC 3339 µs timestamp> <line>`
 *       lb-counters.ndjson          HAProxy's counters (per server, frontend, log drops): at each fault, slot change, end
 *       lb-settings.json  haproxy.cfg   the load balancer settings the trial ran with, and the configuration made of them
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

export function trialFiles(dir: string, architecture: string) {
  const trial = path.join(dir, 'trials', architecture);
  return {
    dir: trial,
    trial: path.join(trial, 'trial.json'),
    scriptBundle: path.join(trial, 'script.bundle.js'),
    loadNdjson: path.join(trial, 'load.ndjson'),
    loadSummary: path.join(trial, 'load-summary.json'),
    loadGenerator: path.join(trial, 'load-generator.json'),
    events: path.join(trial, 'events.ndjson'),
    lbStates: path.join(trial, 'lb-states.ndjson'),
    lbLog: path.join(trial, 'lb.log'),
    lbCounters: path.join(trial, 'lb-counters.ndjson'),
    lbSettings: path.join(trial, 'lb-settings.json'),
    lbConfig: path.join(trial, 'haproxy.cfg'),
    containersDir: path.join(trial, 'containers'),
  };
}
