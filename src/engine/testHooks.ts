/**
 * Test-only fault injection, driven by environment variables and inert when they are unset.
 * Used by the engine and VS Code tests of the extension's restart policy.
 *
 * - `APPRENTICE_ENGINE_CRASH_ON_START=1`: the engine dies (SIGKILL, as a native crash would) right
 *   after the client's `initialized` notification, i.e. when the model load would begin. Every
 *   start crashes, which is a crash loop.
 * - `APPRENTICE_ENGINE_CRASH_AFTER_MS=<n>`: the engine dies n milliseconds after `initialized`.
 */
export const CRASH_ON_START_ENV = "APPRENTICE_ENGINE_CRASH_ON_START";
export const CRASH_AFTER_MS_ENV = "APPRENTICE_ENGINE_CRASH_AFTER_MS";

/** Called once the client sent `initialized`. Does nothing unless a hook variable is set. */
export function runStartHooks(
    log: (message: string) => void,
    env: NodeJS.ProcessEnv = process.env
): void {
    const crashNow = env[CRASH_ON_START_ENV] === "1";
    const delay = Number(env[CRASH_AFTER_MS_ENV]);
    if (!crashNow && !(delay >= 0 && env[CRASH_AFTER_MS_ENV] !== "")) return;
    const ms = crashNow ? 0 : delay;
    log(
        `Test hook: the engine will crash in ${ms} ms (${crashNow ? CRASH_ON_START_ENV : CRASH_AFTER_MS_ENV}).`
    );
    setTimeout(() => process.kill(process.pid, "SIGKILL"), ms);
}
