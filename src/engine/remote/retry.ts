/** Bounded retries with back-off, for requests that are safe to send again. */
import { cancelled, isBackendError } from "../inference/errors";

export interface RetryPolicy {
    /** Attempts in all, including the first. */
    attempts: number;
    /** Pause before the second attempt; doubles each time. */
    firstDelayMs: number;
}

export const CHAT_RETRY: RetryPolicy = { attempts: 3, firstDelayMs: 300 };

export function isRetryable(error: unknown): boolean {
    return isBackendError(error) && error.transient;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(cancelled());
        const onAbort = () => {
            clearTimeout(timer);
            reject(cancelled());
        };
        const timer = setTimeout(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal.addEventListener("abort", onAbort, { once: true });
    });
}

/**
 * Streams from `start()`, starting again after a transient failure as long as nothing was yielded
 * yet (once text has reached the user, repeating the request would duplicate it).
 */
export async function* streamWithRetry<T>(
    start: () => AsyncIterable<T>,
    signal: AbortSignal,
    policy: RetryPolicy = CHAT_RETRY
): AsyncGenerator<T> {
    for (let attempt = 1; ; attempt++) {
        let yielded = false;
        try {
            for await (const item of start()) {
                yielded = true;
                yield item;
            }
            return;
        } catch (error) {
            if (yielded || attempt >= policy.attempts || !isRetryable(error) || signal.aborted)
                throw error;
            await sleep(policy.firstDelayMs * 2 ** (attempt - 1), signal);
        }
    }
}
