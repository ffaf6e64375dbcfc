/**
 * Debounce that adapts to the model and the typist: no wait when the model answers faster than
 * the user types or when the user types along the suggestion shown; otherwise wait about as long as
 * the user's usual pause between keys, so a burst of typing costs one request, not ten.
 */
export class AdaptiveDelay {
    private lastKeyAt = 0;
    private typingInterval = 200;
    private modelLatency = 0;

    /**
     * A keystroke (a completion request) at time `now`; returns the milliseconds to wait: none
     * when the keystroke types along the suggestion shown (`typingAlong`), which the engine
     * answers without the model.
     */
    next(now: number, typingAlong = false): number {
        const gap = now - this.lastKeyAt;
        this.lastKeyAt = now;
        if (gap > 0 && gap < 1000) this.typingInterval = 0.7 * this.typingInterval + 0.3 * gap;
        return typingAlong ? 0 : delayFor(this.modelLatency, this.typingInterval);
    }

    /** A model answer took `ms` (cache answers are not reported). */
    answered(ms: number): void {
        this.modelLatency = this.modelLatency === 0 ? ms : 0.7 * this.modelLatency + 0.3 * ms;
    }
}

/** The wait before asking the model, from its latency and the typing interval (both ms). */
export function delayFor(modelLatency: number, typingInterval: number): number {
    if (modelLatency <= typingInterval) return 0;
    return Math.round(Math.min(150, Math.max(0, typingInterval * 1.2)));
}
