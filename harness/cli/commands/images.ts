import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import { ensureImages } from '../../images/ensure-images.ts';
import { connectedRuntime } from '../docker.ts';
import { info, result } from '../output.ts';

interface BuildArgs {
  force: boolean;
}

const buildCommand: CommandModule<object, BuildArgs> = {
  command: 'build',
  describe: 'Build the base image (mmdebstrap + docker import) and the app image, offline; skips what is up to date',
  builder: (yargs) => yargs.option('force', { type: 'boolean', default: false, describe: 'Rebuild even when up to date' }),
  handler: async (args: ArgumentsCamelCase<BuildArgs>) => {
    const runtime = await connectedRuntime();
    const started = Date.now();
    const images = await ensureImages(runtime, (line) => info(`  ${line}`), { force: args.force });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    result(`base image: ${images.base}${images.built.includes(images.base) ? ' (built)' : ' (up to date)'}`);
    result(`app image:  ${images.app}${images.built.includes(images.app) ? ' (built)' : ' (up to date)'}`);
    result(`took ${seconds} s`);
  },
};

export const imagesCommand: CommandModule = {
  command: 'images <command>',
  describe: 'Manage the images the clusters run',
  builder: (yargs) => yargs.command(buildCommand).demandCommand(1, 'Name an images command: build.'),
  handler: () => undefined,
};
