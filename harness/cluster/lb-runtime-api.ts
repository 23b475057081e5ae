import { connect } from 'node:net';

/** One server slot as HAProxy's runtime API reports it (`show servers state <backend>`). */
export interface LbServerState {
  slot: string;
  /** The slot's current address, or undefined when DNS has none for it. */
  address: string | undefined;
  up: boolean;
  /** HAProxy's operational state: 0 stopped, 1 starting, 2 running, 3 stopping. */
  operationalState: number;
  /** Bit field: maintenance (forced, inherited, by configuration, by DNS resolution), drain. */
  adminState: number;
  secondsSinceChange: number;
}

/** Sends one command to the runtime API and returns its whole answer (the socket closes after it). */
export function runtimeApiCommand(host: string, port: number, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`runtime API ${host}:${port} timed out`)));
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export function parseServersState(text: string): LbServerState[] {
  const lines = text.split('\n');
  const header = lines.find((line) => line.startsWith('# be_id'));
  if (!header) return [];
  const columns = header.slice(2).split(' ');
  const column = (name: string): number => columns.indexOf(name);
  const states: LbServerState[] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('#') || !line.includes(' ')) continue;
    const fields = line.split(' ');
    const field = (name: string): string => fields[column(name)] ?? '';
    const address = field('srv_addr');
    const operationalState = Number(field('srv_op_state'));
    const adminState = Number(field('srv_admin_state'));
    states.push({
      slot: field('srv_name'),
      address: address === '-' || address === '0.0.0.0' || address === '' ? undefined : address,
      up: operationalState === 2 && adminState === 0,
      operationalState,
      adminState,
      secondsSinceChange: Number(field('srv_time_since_last_change')),
    });
  }
  return states;
}

export async function readServersState(host: string, port: number, backend: string): Promise<LbServerState[]> {
  return parseServersState(await runtimeApiCommand(host, port, `show servers state ${backend}`));
}
