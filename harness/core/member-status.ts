/**
 * What the harness last did to a container of the cluster (harness/cluster/members.ts). Fault actions
 * choose their targets by it (harness/core/fault-actions.ts), hence it lives at the bottom.
 */
export type MemberStatus = 'running' | 'paused' | 'stopped' | 'disconnected';
