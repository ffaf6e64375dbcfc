/**
 * KV cache reuse across a cut at the head of the prompt. When the cursor moves down, the lines at
 * the start of the prefix are dropped in steps (promptBuilder's cut), so the prompt no longer
 * shares its head with what the sequence holds, although most of it is still there, a few hundred
 * tokens to the right. Instead of evaluating it all again, the dropped span is erased from the
 * KV cache and what follows is shifted into place (RoPE positions moved, as llama.cpp server's
 * `--cache-reuse` does); only what really changed is evaluated.
 */
import type { Token } from "node-llama-cpp";

/** A run must match at least this many tokens to be moved rather than evaluated again. */
export const MIN_SHIFTED_RUN = 32;
/** Gaps erased in one plan at most. */
const MAX_GAPS = 4;

/** Architectures with plain RoPE positions, where shifting cached tokens is exact in position. */
const SHIFTABLE_ARCHITECTURES = new Set([
    "llama",
    "qwen2",
    "qwen3",
    "starcoder2",
    "deepseek",
    "mistral",
    "granite",
    "olmo",
    "stablelm"
]);

export function canShiftPositions(architecture: string | undefined): boolean {
    return architecture !== undefined && SHIFTABLE_ARCHITECTURES.has(architecture);
}

export interface ShiftPlan {
    /** Ranges of the cached tokens to erase (indexes before any erasing; start inclusive, end exclusive). */
    erase: { start: number; end: number }[];
    /** Prompt tokens that the cache will hold once the ranges are erased. */
    reused: number;
}

/** Where `prompt[p, p + run)` occurs in `cached` at or after `from`, or -1. */
function findRun(
    cached: readonly Token[],
    from: number,
    prompt: readonly Token[],
    p: number,
    run: number
): number {
    const last = cached.length - run;
    outer: for (let c = from; c <= last; c++) {
        for (let k = 0; k < run; k++) if (cached[c + k] !== prompt[p + k]) continue outer;
        return c;
    }
    return -1;
}

/**
 * Plans the erasures that make `cached` start like `prompt` for longer than `common` tokens (their
 * shared head). Empty when nothing can be gained.
 */
export function planShiftedReuse(
    cached: readonly Token[],
    prompt: readonly Token[],
    common: number,
    minRun = MIN_SHIFTED_RUN
): ShiftPlan {
    const erase: ShiftPlan["erase"] = [];
    let c = common;
    let p = common;
    while (p < prompt.length && c < cached.length) {
        if (cached[c] === prompt[p]) {
            c++;
            p++;
            continue;
        }
        if (erase.length === MAX_GAPS || p + minRun > prompt.length) break;
        const found = findRun(cached, c + 1, prompt, p, minRun);
        if (found < 0) break;
        erase.push({ start: c, end: found });
        c = found;
    }
    return erase.length > 0 ? { erase, reused: p } : { erase: [], reused: common };
}
