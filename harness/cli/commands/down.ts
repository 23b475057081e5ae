import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { listRuns, removeRun } from '../../cluster/teardown.ts';
import { InputError } from '../../core/errors.ts';
import { RUN_ID_PATTERN } from '../../core/run-id.ts';
import { connectedRuntime } from '../docker.ts';
import { info, result } from '../output.ts';

interface DownArgs {
  'run-id': string | undefined;
}

export const downCommand: CommandModule<object, DownArgs> = {
  command: 'down [run-id]',
  describe: 'Remove a cluster started by `harness up` (the newest one when no id is given)',
  builder: (yargs) => yargs.positional('run-id', { type: 'string', describe: 'The id `harness up` printed' }),
  handler: async (args: ArgumentsCamelCase<DownArgs>) => {
    if (args['run-id'] !== undefined && !RUN_ID_PATTERN.test(args['run-id'])) {
      throw new InputError('run-id', args['run-id'], 'a run id such as r20261128-213005-3fa2');
    }
    const runtime = await connectedRuntime();
    const runs = await listRuns(runtime);
    const runId = args['run-id'] ?? runs[0];
    if (runId === undefined) {
      info('nothing to take down: no run is up.');
      return;
    }
    const removed = await removeRun(runtime, runId);
    if (removed.length === 0) info(`run ${runId} has nothing left to remove.`);
    else result(`removed run ${runId}: ${removed.length} resource(s)`);
  },
};
