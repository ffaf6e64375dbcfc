/** When to restart a crashed engine: bounded back-off, and a stop after repeated crashes. No VS Code imports. */

export interface RestartPolicyOptions {
    /** Crashes allowed within `windowMs` before giving up. */
    maxCrashes: number;
    windowMs: number;
    baseDelayMs: number;
    maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
    maxCrashes: 5,
    windowMs: 3 * 60_000,
    baseDelayMs: 500,
    maxDelayMs: 8_000
};

export type RestartDecision =
    { restart: true; delayMs: number; attempt: number } | { restart: false; crashes: number };

export class RestartPolicy {
    private crashes: number[] = [];

    constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

    /** Records a crash at `now` and says what to do. */
    onCrash(now: number): RestartDecision {
        this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
        this.crashes.push(now);
        const attempt = this.crashes.length;
        if (attempt > this.options.maxCrashes) return { restart: false, crashes: attempt };
        const delayMs = Math.min(
            this.options.maxDelayMs,
            this.options.baseDelayMs * 2 ** (attempt - 1)
        );
        return { restart: true, delayMs, attempt };
    }

    /** A manual restart by the user starts counting again. */
    reset(): void {
        this.crashes = [];
    }
}
