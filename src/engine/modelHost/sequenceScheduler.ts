/**
 * The one queue of a context sequence: runs one job at a time on it. The model host makes one per
 * sequence, and everything that touches a sequence (completion, the suggestion computed ahead, the
 * prefetch, chat, `serve`) runs its work through it; nothing else locks a sequence.
 *
 * A caller that passes a signal leaves the line at once when it is aborted while waiting (it gets
 * `whenAborted`), so a typing storm never builds a queue: every keystroke aborts the one before, and
 * at most the newest request waits behind the one running. A caller without a signal keeps its turn.
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

export class SequenceScheduler {
    private running = 0;
    private readonly waiting: Waiter[] = [];
    private readonly counters: SchedulerCounters = { peakRunning: 0, peakWaiting: 0 };

    get peaks(): SchedulerCounters { return { ...this.counters }; }

    /** Jobs running or waiting now. */
    get busy(): boolean { return this.running > 0 || this.waiting.length > 0; }

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
            if (this.running === 0 && this.waiting.length === 0) { start(); return; }
            const waiter: Waiter = {
                start,
                signal: whenAborted ? signal : undefined,
                onAbort: () => {
                    const at = this.waiting.indexOf(waiter);
                    if (at >= 0) this.waiting.splice(at, 1);
                    resolve(whenAborted!());
                }
            };
            waiter.signal?.addEventListener("abort", waiter.onAbort, { once: true });
            this.waiting.push(waiter);
            this.counters.peakWaiting = Math.max(this.counters.peakWaiting, this.waiting.length);
        });
    }

    private next(): void {
        const waiter = this.waiting.shift();
        if (!waiter) return;
        waiter.signal?.removeEventListener("abort", waiter.onAbort);
        waiter.start();
    }
}
