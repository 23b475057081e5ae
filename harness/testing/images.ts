import { DockerRuntime } from '../docker/docker-runtime.ts';
import { ensureImages, type Images } from '../images/ensure-images.ts';

let cached: Promise<Images> | undefined;

/** Builds the images once per test process (a no-op when they are up to date). */
export function testImages(): Promise<Images> {
  cached ??= ensureImages(new DockerRuntime(), () => undefined);
  return cached;
}
