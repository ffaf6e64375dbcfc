/**
 * The one queue of a context sequence: runs one job at a time on it. The model host makes one per
 * sequence, and everything that touches a sequence (completion, the suggestion computed ahead, the
 * prefetch, chat, `serve`) runs its work through it; nothing else locks a sequence.
 *
 * A caller that passes a signal leaves the line at once when it is aborted while waiting (it gets
 * `whenAborted`), so a typing storm never builds a queue: every keystroke aborts the one before, and
 * at most the newest request waits behind the one running. A caller without a signal keeps its turn.
 *
 * Priority between sequences: a scheduler made with `yieldTo` (chat's, yielding to completion's)
 * offers `pausePoint()`, which a generation on its sequence awaits before every evaluation step
 * (./pausingPredictor): while the other scheduler has work, the generation pauses between two tokens
 * and resumes where it was once that work is done, so a keystroke never shares the CPU with chat.
 */
export interface SchedulerCounters {
    /** Most jobs that ran at the same time (1 unless something is wrong). */
    peakRunning: number;
    /** Most jobs that waited at the same time. */
    peakWaiting: number;
}

interface Waiter {
    start(): void;
    signal: AbortSignal | undefined;
    onAbort(): void;
}

export interface SchedulerOptions {
    /** A scheduler whose jobs go first: generations here pause between tokens while it has work. */
    yieldTo?: SequenceScheduler;
}

export class SequenceScheduler {
    private running = 0;
    private readonly waiting: Waiter[] = [];
    private readonly counters: SchedulerCounters = { peakRunning: 0, peakWaiting: 0 };
    private idleWaiters: (() => void)[] = [];
    private _pauses = 0;

    constructor(private readonly options: SchedulerOptions = {}) {}

    get peaks(): SchedulerCounters {
        return { ...this.counters };
    }

    /** Jobs running or waiting now. */
    get busy(): boolean {
        return this.running > 0 || this.waiting.length > 0;
    }

    /** How many times a generation here paused for the scheduler it yields to. */
    get pauses(): number {
        return this._pauses;
    }

    /** Resolves when no job runs or waits. */
    whenIdle(): Promise<void> {
        if (!this.busy) return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }

    /**
     * Awaited between two evaluation steps of a generation on this sequence: a promise that resolves
     * once the scheduler this one yields to has no work, or undefined when there is none now.
     */
    pausePoint(): Promise<void> | undefined {
        const first = this.options.yieldTo;
        if (!first?.busy) return undefined;
        this._pauses++;
        return first.whenIdle();
    }

    /**
     * Runs `job` when the sequence is free. With `signal`, a caller aborted before its turn came
     * gets `whenAborted()` instead (and `job` never runs).
     */
    run<T>(job: () => Promise<T>, signal?: AbortSignal, whenAborted?: () => T): Promise<T> {
        if (signal?.aborted && whenAborted) return Promise.resolve(whenAborted());
        return new Promise<T>((resolve, reject) => {
            const start = () => {
                this.running++;
                this.counters.peakRunning = Math.max(this.counters.peakRunning, this.running);
                let result: Promise<T>;
                try {
                    result = job();
                } catch (error) {
                    result = Promise.reject(error);
                }
                result.then(resolve, reject).finally(() => {
                    this.running--;
                    this.next();
                });
            };
            if (this.running === 0 && this.waiting.length === 0) {
                start();
                return;
            }
            const waiter: Waiter = {
                start,
                signal: whenAborted ? signal : undefined,
                onAbort: () => {
                    const at = this.waiting.indexOf(waiter);
                    if (at >= 0) this.waiting.splice(at, 1);
                    resolve(whenAborted!());
                    if (!this.busy) this.wakeIdle();
                }
            };
            waiter.signal?.addEventListener("abort", waiter.onAbort, { once: true });
            this.waiting.push(waiter);
            this.counters.peakWaiting = Math.max(this.counters.peakWaiting, this.waiting.length);
        });
    }

    private next(): void {
        const waiter = this.waiting.shift();
        if (!waiter) {
            if (this.running === 0) this.wakeIdle();
            return;
        }
        waiter.signal?.removeEventListener("abort", waiter.onAbort);
        waiter.start();
    }

    private wakeIdle(): void {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
    }
}
