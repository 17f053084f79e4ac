/**
 * Time, as the domain reads it. Production passes `systemClock`; tests pass a `ManualClock`
 * (test/support/manualClock.ts) and move it, so "30 days later" takes milliseconds. Leases and
 * lock expiry stay on real time: they guard against real processes, not business time.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
