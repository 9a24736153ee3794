/**
 * Fault injection, so tests can prove a run survives a crash at any step. Between steps (after
 * one transaction commits, before the next begins) the run calls crashPoint with the step's name:
 * - DP_CRASH_AT=<step> in the environment kills the process there with SIGKILL, as `kill -9`
 *   would (the fault-injection test runs `dp` in a child process this way);
 * - simulateCrashAt(<step>) makes it throw instead, for tests that stay in one process.
 * Outside tests neither is set and this does nothing.
 */
let simulated: string | null = null;

export class SimulatedCrash extends Error {}

export function simulateCrashAt(step: string | null): void {
  simulated = step;
}

export function crashPoint(step: string): void {
  if (process.env.DP_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
  if (simulated === step) {
    simulated = null;
    throw new SimulatedCrash(`Simulated crash at ${step}`);
  }
}
