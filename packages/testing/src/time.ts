// Test dates are relative to the clock the code under test reads, never fixed: a fixed claim
// date compared with that clock gives another result a few weeks later (a declaration delay
// that grows, a date that moves from the past into the future when the clock is set back).
// Processes started by a test share the machine's clock; in-process services take a clock.

const HOUR_MS = 3_600_000;

/** The instant `hours` before `now` (the machine's clock unless given), as ISO 8601. */
export function hoursAgo(hours: number, now: Date = new Date()): string {
  return new Date(now.getTime() - hours * HOUR_MS).toISOString();
}
