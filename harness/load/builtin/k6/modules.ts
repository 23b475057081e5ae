/** The k6 module objects of one VU, created on first import and bound to that VU. */
import type { K6ModuleName } from '../transform/loader.ts';
import type { Namespace } from '../runtime/modules.ts';
import type { ModuleVu } from './module-vu.ts';
import { createCoreModule } from './core.ts';
import { createMetricsModule } from './metrics.ts';
import { createExecutionModule } from './execution.ts';
import { createDataModule } from './data.ts';
import { createEncodingModule } from './encoding.ts';
import { createCryptoModule } from './crypto.ts';
import { createHttpModule } from '../http/module.ts';

export function createK6Modules(vu: ModuleVu): (name: K6ModuleName) => Namespace {
  const cache = new Map<K6ModuleName, Namespace>();
  return (name) => {
    let mod = cache.get(name);
    if (mod) return mod;
    switch (name) {
      case 'k6':
        mod = createCoreModule(vu);
        break;
      case 'k6/http':
        mod = createHttpModule(vu);
        break;
      case 'k6/metrics':
        mod = createMetricsModule(vu);
        break;
      case 'k6/execution':
        mod = createExecutionModule(vu);
        break;
      case 'k6/data':
        mod = createDataModule(vu);
        break;
      case 'k6/encoding':
        mod = createEncodingModule();
        break;
      case 'k6/crypto':
        mod = createCryptoModule();
        break;
    }
    cache.set(name, mod);
    return mod;
  };
}
