/** Pure arithmetic that decides whether a model fits and how large a context it gets. */

export const MIN_CONTEXT = 512;
export const DEFAULT_CONTEXT = 4096;

export interface MemoryPlanInput {
    modelBytes: number;
    /** Estimated bytes of a context of the given size (all sequences). */
    contextBytes: (contextSize: number) => number;
    /** Bytes the engine may use for model + context. */
    budgetBytes: number;
    /** 0 = choose automatically. */
    requestedContext: number;
    trainContextSize: number;
}

export type MemoryPlan =
    | { ok: true; contextSize: number; totalBytes: number; reduced: boolean }
    | { ok: false; neededBytes: number; budgetBytes: number; explicitContext: boolean };

export function planMemory(input: MemoryPlanInput): MemoryPlan {
    const trainMax = input.trainContextSize > 0 ? input.trainContextSize : DEFAULT_CONTEXT;
    const wanted =
        input.requestedContext > 0
            ? Math.min(input.requestedContext, trainMax)
            : Math.min(DEFAULT_CONTEXT, trainMax);
    const total = (ctx: number) => input.modelBytes + input.contextBytes(ctx);

    if (total(wanted) <= input.budgetBytes) {
        return { ok: true, contextSize: wanted, totalBytes: total(wanted), reduced: false };
    }
    if (input.requestedContext > 0) {
        return {
            ok: false,
            neededBytes: total(wanted),
            budgetBytes: input.budgetBytes,
            explicitContext: true
        };
    }
    // Halve the automatic context until it fits, but never below MIN_CONTEXT.
    for (
        let ctx = Math.floor(wanted / 2);
        ctx >= Math.min(MIN_CONTEXT, wanted);
        ctx = Math.floor(ctx / 2)
    ) {
        if (total(ctx) <= input.budgetBytes)
            return { ok: true, contextSize: ctx, totalBytes: total(ctx), reduced: true };
        if (ctx <= MIN_CONTEXT) break;
    }
    return {
        ok: false,
        neededBytes: total(Math.min(MIN_CONTEXT, wanted)),
        budgetBytes: input.budgetBytes,
        explicitContext: false
    };
}

/** Default budget: 60% of the machine's RAM, leaving the rest to the editor and the user's other programs. */
export function defaultBudgetBytes(totalMem: number): number {
    return Math.floor(totalMem * 0.6);
}

export function formatBytes(bytes: number): string {
    if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
    if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MiB`;
    return `${Math.round(bytes / 1024)} KiB`;
}

/**
 * Threads from the core count: one core fewer than the machine has (at least one, at most 16).
 * Measured by `npm run bench` (threads suite, docs/benchmarks.md): on a busy 2-core machine,
 * generation with 2 threads fell to a few tokens per second while 1 thread kept 20-30, because
 * a thread that loses its core stalls the others at every step; the spare core also keeps the
 * editor responsive.
 */
export function defaultThreads(cores: number): number {
    return Math.max(1, Math.min(cores - 1, 16));
}
