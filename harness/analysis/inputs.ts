import { RunFileError, TRIAL_FILES_KIND, trialRecordFile, type TrialRecord as WrittenTrialRecord } from '../core/run-files/index.ts';

/**
 * What the analysis needs of a trial's trial.json (harness/core/run-files/trial-record.ts): a trial
 * whose load ran, so that its start and end are known.
 */
export type TrialRecord = Pick<WrittenTrialRecord, 'name' | 'architecture' | 'status' | 'initialReplicas' | 't0Source' | 'faultWindowMs' | 'error' | 'logProblems'> & {
  /** Epoch ms (host clock) when the load began: t = 0 of every figure. */
  t0: number;
  /** Epoch ms when the load ended; points after it are outside the trial. */
  endedAt: number;
};

/** trial.json of a trial with figures; one whose load never started, or that ends before it starts, is refused. */
export async function readTrialRecord(file: string): Promise<TrialRecord> {
  const record = await trialRecordFile.read(file);
  const { t0, endedAt } = record;
  const refuse = (problem: string): RunFileError => new RunFileError(file, `not a trial record of a trial that ran: ${problem}`, TRIAL_FILES_KIND);
  if (t0 === null) throw refuse('t0 is null (its load never started)');
  if (endedAt === null) throw refuse('endedAt is null (it never ended)');
  if (endedAt < t0) throw refuse('endedAt must not be before t0');
  return { ...record, t0, endedAt };
}
