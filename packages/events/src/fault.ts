// Fault injection for the crash tests and the chaos run: CRM_FAULT names a point in the code
// where the process kills itself with SIGKILL (a real kill: no finally block, no flush),
// optionally after CRM_FAULT_AFTER passes through that point (default 1).
let passes = 0;

export type FaultPoint = 'after-db-commit' | 'after-kafka-ack' | 'before-db-commit';

export function faultPoint(point: FaultPoint): void {
  if (process.env.CRM_FAULT !== point) return;
  passes++;
  if (passes >= Number(process.env.CRM_FAULT_AFTER ?? '1')) process.kill(process.pid, 'SIGKILL');
}
