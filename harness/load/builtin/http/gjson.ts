/**
 * The subset of gjson path syntax that k6's `Response.json(selector)` users write: dotted keys
 * (`a.b`), array indexes (`items.0`), `#` for an array's length, `items.#.name` to collect a key
 * from every element, `*` / `?` wildcards in keys, and `\.` to escape a dot.
 * A path that matches nothing gives undefined, as k6 does.
 */
function splitPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && i + 1 < path.length) {
      current += path[++i];
    } else if (c === '.') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function step(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    if (key === '#') return value.length;
    if (/^\d+$/.test(key)) return value[Number(key)];
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  if (key.includes('*') || key.includes('?')) {
    const re = wildcard(key);
    const match = Object.keys(obj).find((k) => re.test(k));
    return match === undefined ? undefined : obj[match];
  }
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function select(value: unknown, parts: string[]): unknown {
  let current = value;
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]!;
    if (key === '#' && Array.isArray(current) && i < parts.length - 1) {
      const rest = parts.slice(i + 1);
      return current.map((item) => select(item, rest)).filter((v) => v !== undefined);
    }
    current = step(current, key);
    if (current === undefined) return undefined;
  }
  return current;
}

export function gjsonGet(value: unknown, path: string): unknown {
  if (path === '') return undefined;
  return select(value, splitPath(path));
}
