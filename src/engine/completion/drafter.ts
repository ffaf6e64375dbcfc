/**
 * The drafts of draft-and-verify (speculative) generation for one completion sequence: prompt lookup
 * (./draftLookup) over the prompt, what was generated so far and the last few suggestions (what the
 * user may be typing along), gated by ./draftPolicy, which measures whether drafts pay on this
 * machine. The session verifies a draft in one batch (see session.ts).
 *
 * Why not node-llama-cpp's token predictors (`InputLookupTokenPredictor`, `DraftSequenceTokenPredictor`,
 * the `tokenPredictor` option of a sequence): in 3.21.1 the verification in
 * `LlamaContextSequence._speculativeEvaluate` compares the second and later draft tokens with an
 * array that is never filled (`validatedTokens`), so it accepts at most one draft token per batch
 * and evaluates the rest for nothing; it also asks for the confidence of every draft position
 * whether it is used or not, and a sequence gets its predictor once, at creation, for every kind
 * of generation. In test/engine/draftVerify.test.ts on coder-48m, drafts verified by node-llama-cpp
 * had 14 of 79 tokens accepted; verified here, 144 of 501.
 */
import type { Token } from "node-llama-cpp";
import { DRAFT_DEFAULTS, lookupDraft, type DraftLookupOptions } from "./draftLookup";
import { DraftPolicy, type DraftPolicyFigures } from "./draftPolicy";

/** What decides whether a draft is verified (DraftPolicy; tests verify every draft). */
export type DraftGate = Pick<DraftPolicy, "choose" | "observePlain" | "observeDraft" | "figures">;

/** Earlier suggestions kept as draft sources. */
const RECENT_SUGGESTIONS = 4;

export class Drafter {
    private recent: Token[][] = [];
    private readonly policy: DraftGate;

    /** `policy` decides which drafts are verified (default: a DraftPolicy, which measures whether they pay). */
    constructor(
        private readonly options: DraftLookupOptions = DRAFT_DEFAULTS,
        policy?: DraftGate
    ) {
        this.policy = policy ?? new DraftPolicy(options.maxDraft, options.minDraft);
    }

    /** What the policy has measured (for stats and tests). */
    get figures(): DraftPolicyFigures {
        return this.policy.figures;
    }

    /** The draft to verify after `history` (prompt and generated tokens), or none when it does not pay. */
    propose(history: readonly Token[], isStop: (token: Token) => boolean): Token[] {
        const found = lookupDraft(history, this.recent, isStop, this.options);
        if (found.length === 0) return found;
        return found.slice(0, this.policy.choose(found.length));
    }

    /** A plain step (one token) took `ms`, the caller's handling of it included. */
    plainStep(ms: number): void {
        this.policy.observePlain(ms);
    }

    /** A step verifying `drafted` tokens took `ms`; `accepted` of them were right. */
    draftStep(drafted: number, accepted: number, ms: number): void {
        this.policy.observeDraft(drafted, ms, accepted);
    }

    /** After a generation: its tokens become a draft source for the next ones. */
    remember(generated: readonly Token[]): void {
        if (generated.length < this.options.minDraft) return;
        this.recent.unshift(generated.slice());
        this.recent.length = Math.min(this.recent.length, RECENT_SUGGESTIONS);
    }

    clear(): void {
        this.recent = [];
    }
}
