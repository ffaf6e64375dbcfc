/**
 * Lets one generation run at a time on the completion sequence. A caller whose signal is aborted
 * while it waits leaves the line at once, so a typing storm never builds a queue: every keystroke
 * aborts the one before, and at most the newest request waits behind the one running.
 */
export interface GateCounters {
    /** Most generations that ran at the same time (1 unless something is wrong). */
    peakRunning: number;
    /** Most generations that waited at the same time. */
    peakWaiting: number;
}

interface Waiter {
    start(): void;
    signal: AbortSignal;
    onAbort(): void;
}

export class GenerationGate {
    private running = 0;
    private readonly waiting: Waiter[] = [];
    private readonly counters: GateCounters = { peakRunning: 0, peakWaiting: 0 };

    get peaks(): GateCounters { return { ...this.counters }; }

    /**
     * Runs `task` when the gate is free; `whenAborted` is what a caller gets that was aborted
     * before its turn came.
     */
    run<T>(signal: AbortSignal, task: () => Promise<T>, whenAborted: () => T): Promise<T> {
        if (signal.aborted) return Promise.resolve(whenAborted());
        return new Promise<T>((resolve, reject) => {
            const start = () => {
                this.running++;
                this.counters.peakRunning = Math.max(this.counters.peakRunning, this.running);
                task().then(resolve, reject).finally(() => {
                    this.running--;
                    this.next();
                });
            };
            if (this.running === 0) { start(); return; }
            const waiter: Waiter = {
                start,
                signal,
                onAbort: () => {
                    const at = this.waiting.indexOf(waiter);
                    if (at >= 0) this.waiting.splice(at, 1);
                    resolve(whenAborted());
                }
            };
            signal.addEventListener("abort", waiter.onAbort, { once: true });
            this.waiting.push(waiter);
            this.counters.peakWaiting = Math.max(this.counters.peakWaiting, this.waiting.length);
        });
    }

    private next(): void {
        const waiter = this.waiting.shift();
        if (!waiter) return;
        waiter.signal.removeEventListener("abort", waiter.onAbort);
        waiter.start();
    }
}
