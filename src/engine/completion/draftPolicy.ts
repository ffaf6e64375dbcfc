/**
 * Decides whether a draft is worth verifying, from what drafting has cost and gained on this
 * machine and model so far. A step that verifies a draft of k tokens costs more than a plain step,
 * by a factor that depends on the hardware: on a GPU or a memory-bound CPU a batch of 8 costs
 * little more than one token; on a CPU with a small model (coder-48m: 2 tokens 2.5×, 8 tokens 6.4×
 * a plain step, with the confidence node-llama-cpp computes by sorting the vocabulary for every
 * position) it costs nearly as much as generating them one by one. So the policy measures the time of
 * plain and drafted steps and the share of draft tokens accepted, and drafts only when the expected
 * tokens per step outweigh the measured cost; now and then it tries a draft anyway to keep its
 * figures current. Pure: times and counts in, a length out.
 */

/** Moving averages weigh the newest observation this much. */
const WEIGHT = 0.2;
/** Observations of a draft length before its measured cost replaces the prior guess. */
const TRUSTED_AFTER = 3;
/** A draft must promise this much more tokens per unit of time than plain steps. */
const MIN_GAIN = 1.1;
/** After this many drafts turned down in a row, one is tried anyway (the figures may be stale). */
const PROBE_EVERY = 48;

export interface DraftPolicyFigures {
    plainMs: number | undefined;
    /** Share of draft tokens accepted, per token (geometric model). */
    acceptance: number;
    drafts: number;
    declined: number;
}

export class DraftPolicy {
    private plainMs: number | undefined;
    /** Per batch size (draft length + 1): average step time and how often it was seen. */
    private readonly draftMs = new Map<number, { ms: number; n: number }>();
    /** Per-token acceptance: accepted tokens and the attempts that failed (geometric trials). */
    private accepted = 4;
    private failed = 1;
    private declinedInARow = 0;
    private drafts = 0;
    private declined = 0;

    constructor(
        private readonly maxDraft: number,
        private readonly minDraft: number
    ) {}

    get figures(): DraftPolicyFigures {
        return {
            plainMs: this.plainMs,
            acceptance: this.acceptance(),
            drafts: this.drafts,
            declined: this.declined
        };
    }

    private acceptance(): number {
        return this.accepted / (this.accepted + this.failed);
    }

    /** A plain step (no draft) took `ms`. */
    observePlain(ms: number): void {
        if (!(ms > 0) || !Number.isFinite(ms)) return;
        this.plainMs =
            this.plainMs === undefined ? ms : this.plainMs + WEIGHT * (ms - this.plainMs);
    }

    /** A step that verified `length` draft tokens took `ms`; `accepted` of them were right. */
    observeDraft(length: number, ms: number, accepted: number): void {
        this.accepted += accepted;
        if (accepted < length) this.failed += 1;
        if (!(ms > 0) || !Number.isFinite(ms)) return;
        const seen = this.draftMs.get(length + 1);
        this.draftMs.set(
            length + 1,
            seen ? { ms: seen.ms + WEIGHT * (ms - seen.ms), n: seen.n + 1 } : { ms, n: 1 }
        );
    }

    /** Expected cost of a step with a batch of `size` tokens, in plain steps. */
    private relativeCost(size: number): number {
        const seen = this.draftMs.get(size);
        if (seen && seen.n >= TRUSTED_AFTER && this.plainMs) return seen.ms / this.plainMs;
        // The prior: what a memory-bound machine shows, so that drafting is tried and then measured.
        return 1 + 0.3 * (size - 1);
    }

    /** How many of `available` draft tokens to verify: 0 when drafting does not pay. */
    choose(available: number): number {
        const longest = Math.min(available, this.maxDraft);
        if (longest < this.minDraft) return 0;
        const p = this.acceptance();
        let best = 0;
        let bestGain = MIN_GAIN;
        let expected = 0;
        let pj = 1;
        for (let k = 1; k <= longest; k++) {
            pj *= p;
            expected += pj;
            if (k < this.minDraft) continue;
            const gain = (1 + expected) / this.relativeCost(k + 1);
            if (gain > bestGain) {
                best = k;
                bestGain = gain;
            }
        }
        if (best > 0) {
            this.declinedInARow = 0;
            this.drafts++;
            return best;
        }
        this.declined++;
        if (++this.declinedInARow >= PROBE_EVERY) {
            this.declinedInARow = 0;
            this.drafts++;
            return longest;
        }
        return 0;
    }
}
