/**
 * Built-ins that call a callback synchronously (Array.prototype.map, sort, String.prototype.replace,
 * JSON.stringify's replacer, Array.from's mapper …) would get promises back from transformed user
 * functions. The transform routes such calls here: when a callback is a transformed function, the
 * awaited equivalent runs, so the script sees the same results as in k6.
 */

const AsyncFunction = (async () => {}).constructor;
/** Functions the script itself declared `async`: passed as callbacks they keep native semantics. */
const nativeAsync = new WeakSet<object>();

export function markNativeAsync<T>(fn: T): T {
  if (typeof fn === 'function') nativeAsync.add(fn);
  return fn;
}

function isTransformed(value: unknown): value is (...args: unknown[]) => unknown {
  return typeof value === 'function' && value instanceof AsyncFunction && !nativeAsync.has(value);
}

type Callback = (...args: unknown[]) => unknown;

async function mapLike(arr: ArrayLike<unknown>, fn: Callback, thisArg: unknown): Promise<unknown[]> {
  const out = new Array<unknown>(arr.length);
  for (let i = 0; i < arr.length; i++) if (i in arr) out[i] = await fn.call(thisArg, arr[i], i, arr);
  return out;
}

async function mergeSort(items: unknown[], compare: Callback): Promise<unknown[]> {
  if (items.length < 2) return items;
  const mid = items.length >> 1;
  const left = await mergeSort(items.slice(0, mid), compare);
  const right = await mergeSort(items.slice(mid), compare);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const order = Number(await compare(left[i], right[j]));
    if (order > 0) out.push(right[j++]);
    else out.push(left[i++]);
  }
  while (i < left.length) out.push(left[i++]);
  while (j < right.length) out.push(right[j++]);
  return out;
}

/** Default sort order of Array.prototype.sort: undefined last, others by string comparison. */
async function sortItems(items: unknown[], compare: Callback): Promise<unknown[]> {
  const defined = items.filter((v) => v !== undefined);
  const undefinedCount = items.length - defined.length;
  const sorted = await mergeSort(defined, compare);
  for (let i = 0; i < undefinedCount; i++) sorted.push(undefined);
  return sorted;
}

async function arrayMethod(arr: unknown[], name: string, args: unknown[]): Promise<unknown> {
  const fn = args[0] as Callback;
  const thisArg = args[1];
  switch (name) {
    case 'map':
      return mapLike(arr, fn, thisArg);
    case 'forEach':
      for (let i = 0; i < arr.length; i++) if (i in arr) await fn.call(thisArg, arr[i], i, arr);
      return undefined;
    case 'filter': {
      const out: unknown[] = [];
      for (let i = 0; i < arr.length; i++) if (i in arr && (await fn.call(thisArg, arr[i], i, arr))) out.push(arr[i]);
      return out;
    }
    case 'flatMap':
      return (await mapLike(arr, fn, thisArg)).flat(1);
    case 'some':
      for (let i = 0; i < arr.length; i++) if (i in arr && (await fn.call(thisArg, arr[i], i, arr))) return true;
      return false;
    case 'every':
      for (let i = 0; i < arr.length; i++) if (i in arr && !(await fn.call(thisArg, arr[i], i, arr))) return false;
      return true;
    case 'find':
    case 'findIndex':
      for (let i = 0; i < arr.length; i++) if (await fn.call(thisArg, arr[i], i, arr)) return name === 'find' ? arr[i] : i;
      return name === 'find' ? undefined : -1;
    case 'findLast':
    case 'findLastIndex':
      for (let i = arr.length - 1; i >= 0; i--) if (await fn.call(thisArg, arr[i], i, arr)) return name === 'findLast' ? arr[i] : i;
      return name === 'findLast' ? undefined : -1;
    case 'reduce':
    case 'reduceRight': {
      const indexes = [...arr.keys()].filter((i) => i in arr);
      if (name === 'reduceRight') indexes.reverse();
      let k = 0;
      let acc: unknown;
      if (args.length >= 2) acc = args[1];
      else if (indexes.length === 0) throw new TypeError('Reduce of empty array with no initial value');
      else acc = arr[indexes[k++]!];
      for (; k < indexes.length; k++) acc = await fn(acc, arr[indexes[k]!], indexes[k], arr);
      return acc;
    }
    case 'sort': {
      const sorted = await sortItems([...arr], fn);
      for (let i = 0; i < sorted.length; i++) arr[i] = sorted[i];
      return arr;
    }
    case 'toSorted':
      return sortItems([...arr], fn);
    default:
      return (arr as unknown as Record<string, Callback>)[name]!(...args);
  }
}

async function replaceAsync(text: string, name: string, pattern: unknown, fn: Callback): Promise<string> {
  const calls: unknown[][] = [];
  const method = name === 'replaceAll' ? String.prototype.replaceAll : String.prototype.replace;
  method.call(text, pattern as string, (...matchArgs: unknown[]) => {
    calls.push(matchArgs);
    return '';
  });
  const results: string[] = [];
  for (const matchArgs of calls) results.push(String(await fn(...matchArgs)));
  let i = 0;
  return method.call(text, pattern as string, () => results[i++] ?? '');
}

/** `recv[name](...args)`, awaiting transformed callbacks where a built-in would call them. */
export async function callWithCallbacks(recv: unknown, name: string, args: unknown[]): Promise<unknown> {
  if (!args.some(isTransformed)) return (recv as Record<string, Callback>)[name]!(...args);
  if (Array.isArray(recv)) return arrayMethod(recv, name, args);
  if ((recv instanceof Map || recv instanceof Set) && name === 'forEach') {
    const fn = args[0] as Callback;
    for (const [key, value] of recv.entries()) await fn.call(args[1], value, key, recv);
    return undefined;
  }
  if (typeof recv === 'string' && (name === 'replace' || name === 'replaceAll')) return replaceAsync(recv, name, args[0], args[1] as Callback);
  if (recv === Array && name === 'from') return mapLike(Array.from(args[0] as Iterable<unknown>), args[1] as Callback, args[2]);
  if (recv === JSON) {
    throw new Error(`JSON.${name} with a reviver/replacer function that calls other functions is not supported by the built-in engine; use --engine k6`);
  }
  if (ArrayBuffer.isView(recv) && !(recv instanceof DataView)) return arrayMethod(Array.from(recv as unknown as ArrayLike<unknown>), name, args);
  return (recv as Record<string, Callback>)[name]!(...args);
}

/** The optional-chain variant (`a?.map(f)`): undefined when the receiver is nullish. */
export function callWithCallbacksOptional(recv: unknown, name: string, args: unknown[]): Promise<unknown> | undefined {
  if (recv === null || recv === undefined) return undefined;
  return callWithCallbacks(recv, name, args);
}
