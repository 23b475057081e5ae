import type { CommandModule } from 'yargs';
import { listRuns, removeAllRuns } from '../../cluster/teardown.ts';
import { connectedRuntime } from '../docker.ts';
import { result } from '../output.ts';

export const cleanCommand: CommandModule = {
  command: 'clean',
  describe: 'Remove every container, network and volume any run left behind (images are kept)',
  handler: async () => {
    const runtime = await connectedRuntime();
    const runs = await listRuns(runtime);
    const removed = await removeAllRuns(runtime);
    result(removed.length === 0 ? 'nothing to clean.' : `removed ${removed.length} resource(s) of ${runs.length} run(s).`);
  },
};
