/**
 * Hands out the server's context sequences ("slots") to requests. At most `slots.length` run at
 * once; up to `maxQueue` wait, more are refused (the caller answers 429). A freed slot goes to the
 * waiting request whose client has the fewest requests running (then the oldest), so one busy user
 * cannot starve the others; a client gets its previous slot back when it is free, to reuse its KV cache.
 */
import { cancelled } from "../inference/errors";

export class QueueFullError extends Error {
    override readonly name = "QueueFullError";
    constructor(readonly waiting: number) {
        super(`The server is busy: ${waiting} requests are already waiting.`);
    }
}

export interface Lease<S> {
    readonly slot: S;
    release(): void;
}

interface Waiter<S> {
    client: string;
    resolve(lease: Lease<S>): void;
    reject(error: unknown): void;
    cleanup(): void;
}

export class SlotScheduler<S> {
    private readonly free: S[];
    private readonly waiting: Waiter<S>[] = [];
    private readonly running = new Map<string, number>();
    private readonly lastSlot = new Map<string, S>();

    constructor(
        slots: readonly S[],
        private readonly maxQueue: number
    ) {
        this.free = [...slots];
    }

    get idle(): number {
        return this.free.length;
    }
    get queued(): number {
        return this.waiting.length;
    }

    acquire(client: string, signal: AbortSignal): Promise<Lease<S>> {
        if (signal.aborted) return Promise.reject(cancelled());
        if (this.free.length > 0 && this.waiting.length === 0)
            return Promise.resolve(this.grant(client));
        if (this.waiting.length >= this.maxQueue)
            return Promise.reject(new QueueFullError(this.waiting.length));
        return new Promise((resolve, reject) => {
            const onAbort = () => {
                const at = this.waiting.indexOf(waiter);
                if (at >= 0) this.waiting.splice(at, 1);
                reject(cancelled());
            };
            const waiter: Waiter<S> = {
                client,
                resolve,
                reject,
                cleanup: () => signal.removeEventListener("abort", onAbort)
            };
            signal.addEventListener("abort", onAbort, { once: true });
            this.waiting.push(waiter);
        });
    }

    private grant(client: string): Lease<S> {
        const previous = this.lastSlot.get(client);
        const at = previous !== undefined ? this.free.indexOf(previous) : -1;
        const slot = at >= 0 ? this.free.splice(at, 1)[0]! : this.free.shift()!;
        if (this.lastSlot.size > 1024) this.lastSlot.clear();
        this.lastSlot.set(client, slot);
        this.running.set(client, (this.running.get(client) ?? 0) + 1);
        let released = false;
        return {
            slot,
            release: () => {
                if (released) return;
                released = true;
                const count = (this.running.get(client) ?? 1) - 1;
                if (count > 0) this.running.set(client, count);
                else this.running.delete(client);
                this.free.push(slot);
                this.next();
            }
        };
    }

    private next(): void {
        if (this.free.length === 0 || this.waiting.length === 0) return;
        let best = 0;
        for (let i = 1; i < this.waiting.length; i++) {
            if (
                (this.running.get(this.waiting[i]!.client) ?? 0) <
                (this.running.get(this.waiting[best]!.client) ?? 0)
            )
                best = i;
        }
        const [waiter] = this.waiting.splice(best, 1);
        waiter!.cleanup();
        waiter!.resolve(this.grant(waiter!.client));
    }
}
