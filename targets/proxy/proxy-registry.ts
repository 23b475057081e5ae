/**
 * The proxies by name, and the operations of the API on them. Changes run one at a time (starting
 * a listener is asynchronous), as Toxiproxy's collection takes a lock, so two requests can never
 * both create one name.
 */
import { badRequestBody, missingField, proxyAlreadyExists, proxyNotFound } from './api-error.ts';
import { optionalBoolean, optionalString, requireJsonObject } from './json-input.ts';
import { checkAddresses, FaultProxy, type ProxySettings } from './proxy.ts';

export interface ProxyInput extends ProxySettings {
  name: string;
}

/** Where a proxy listens when the request names no address: loopback, any free port. */
export const DEFAULT_LISTEN = '127.0.0.1:0';

export class ProxyRegistry {
  private readonly proxies = new Map<string, FaultProxy>();
  private queue: Promise<unknown> = Promise.resolve();

  list(): FaultProxy[] {
    return [...this.proxies.values()];
  }

  get(name: string): FaultProxy {
    const proxy = this.proxies.get(name);
    if (proxy === undefined) throw proxyNotFound();
    return proxy;
  }

  create(input: ProxyInput): Promise<FaultProxy> {
    return this.serially(async () => {
      if (this.proxies.has(input.name)) throw proxyAlreadyExists();
      return this.startNew(input);
    });
  }

  update(name: string, settings: ProxySettings): Promise<FaultProxy> {
    return this.serially(async () => {
      const proxy = this.get(name);
      await proxy.update(settings);
      return proxy;
    });
  }

  remove(name: string): Promise<void> {
    return this.serially(async () => {
      const proxy = this.get(name);
      this.proxies.delete(name);
      await proxy.stop();
    });
  }

  /**
   * Creates each proxy, or replaces one of the same name whose addresses differ (an identical one is
   * left as it is, toxics and all). Every entry is checked before anything changes; `applied` gets
   * the proxies done so far if one fails to start, for the error answer.
   */
  populate(inputs: readonly ProxyInput[], applied: FaultProxy[] = []): Promise<FaultProxy[]> {
    return this.serially(async () => {
      const names = new Set<string>();
      inputs.forEach((input, i) => {
        if (input.name === '') throw missingField(`name at proxy ${i + 1}`);
        if (input.upstream === '') throw missingField(`upstream at proxy ${i + 1}`);
        if (names.has(input.name)) throw badRequestBody(`duplicate proxy name ${JSON.stringify(input.name)}`);
        names.add(input.name);
        checkAddresses(input);
      });
      for (const input of inputs) {
        const existing = this.proxies.get(input.name);
        if (existing !== undefined && !existing.differs(input)) {
          applied.push(existing);
          continue;
        }
        if (existing !== undefined) {
          this.proxies.delete(input.name);
          await existing.stop();
        }
        applied.push(await this.startNew(input));
      }
      return applied;
    });
  }

  /** Enables every proxy and removes every toxic (`POST /reset`). */
  reset(): Promise<void> {
    return this.serially(async () => {
      for (const proxy of this.proxies.values()) {
        if (!proxy.enabled) await proxy.start();
        proxy.removeAllToxics();
      }
    });
  }

  closeAll(): Promise<void> {
    return this.serially(async () => {
      const proxies = [...this.proxies.values()];
      this.proxies.clear();
      await Promise.all(proxies.map((proxy) => proxy.stop()));
    });
  }

  private async startNew(input: ProxyInput): Promise<FaultProxy> {
    const proxy = new FaultProxy(input.name, { listen: input.listen, upstream: input.upstream });
    // A proxy that cannot listen is not kept, as in Toxiproxy.
    if (input.enabled) await proxy.start();
    this.proxies.set(input.name, proxy);
    return proxy;
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** A proxy from a create or populate body; missing name and upstream are left '' for the caller to name. */
export function readProxyInput(body: unknown): ProxyInput {
  const input = requireJsonObject(body, 'a proxy');
  return {
    name: optionalString(input, 'name') ?? '',
    listen: optionalString(input, 'listen') || DEFAULT_LISTEN,
    upstream: optionalString(input, 'upstream') ?? '',
    enabled: optionalBoolean(input, 'enabled') ?? true,
  };
}
