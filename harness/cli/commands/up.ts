import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { startCluster } from '../../cluster/cluster.ts';
import { armReaper } from '../../cluster/reaper.ts';
import { newRunId } from '../../core/run-id.ts';
import { ensureImages } from '../../images/ensure-images.ts';
import { ARCHITECTURES, MAX_REPLICAS_LIMIT, planCluster, type Architecture } from '../../plan/cluster-plan.ts';
import { connectedRuntime } from '../docker.ts';
import { abortOnInterrupt, EXIT_INTERRUPTED, isInterrupted } from '../interrupt.ts';
import { info, result } from '../output.ts';

interface UpArgs {
  architecture: Architecture;
  replicas: number;
  'max-replicas': number | undefined;
  json: boolean;
}

export const upCommand: CommandModule<object, UpArgs> = {
  command: 'up <architecture>',
  describe: 'Start a cluster (load balancer, replicas, data tier) and leave it running',
  builder: (yargs) =>
    yargs
      .positional('architecture', { type: 'string', choices: ARCHITECTURES, demandOption: true, describe: 'Where client state lives' })
      .option('replicas', { alias: 'n', type: 'number', default: 3, describe: `Replicas to start (1–${MAX_REPLICAS_LIMIT})` })
      .option('max-replicas', { type: 'number', describe: 'Load balancer slots, the ceiling for scale-out (default max(16, replicas))' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as one JSON object' })
      .example('$0 up stateful --replicas 3', 'three replicas behind a sticky load balancer'),
  handler: async (args: ArgumentsCamelCase<UpArgs>) => {
    const interrupt = abortOnInterrupt();
    const runId = newRunId();
    try {
      const plan = planCluster({ runId, architecture: args.architecture, replicas: args.replicas, maxReplicas: args['max-replicas'] });
      const runtime = await connectedRuntime();
      // Until the cluster is up, whatever ends this process removes what it created; then it is the user's.
      const reaper = armReaper(runId);
      const images = await ensureImages(runtime, (line) => info(`  ${line}`));
      info(`starting ${plan.architecture} cluster ${runId} with ${plan.replicas} replica(s)…`);
      const started = Date.now();
      const cluster = await startCluster(plan, images, runtime, { signal: interrupt.signal, log: (line) => info(`  ${line}`) });
      reaper.release();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (args.json) {
        result(JSON.stringify({ runId, architecture: plan.architecture, replicas: cluster.replicas().map((r) => r.name), lbUrl: cluster.lbUrl, readyInMs: Date.now() - started }));
      } else {
        result(`run id:        ${runId}`);
        result(`load balancer: ${cluster.lbUrl}`);
        result(`replicas:      ${cluster.replicas().map((r) => r.name).join(', ')} (ready in ${seconds} s)`);
        result(`stop it with:  npx harness down ${runId}`);
      }
    } catch (error) {
      if (isInterrupted(error) || interrupt.signal.aborted) {
        info(`interrupted: removed what run ${runId} had created.`);
        process.exitCode = EXIT_INTERRUPTED;
        return;
      }
      throw error;
    } finally {
      interrupt.dispose();
    }
  },
};
