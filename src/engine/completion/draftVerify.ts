/**
 * Token generation on a context sequence, with draft-and-verify when a Drafter is given: plain steps
 * run on node-llama-cpp's evaluation iterator; when the drafter proposes a draft after a token, the
 * token and the draft are evaluated in one batch (`controlledEvaluate`, the next token and its
 * confidence at every position), the draft tokens that greedy sampling confirms are taken as
 * generated, the first one it does not is replaced by what the model chose, and the rest is erased
 * from the KV cache. Every generated token is the model's greedy choice after the tokens before it,
 * so the output is the same as plain greedy generation (test/engine/draftVerify.test.ts checks it
 * token for token); only the number of evaluation steps changes.
 *
 * A token's probability costs node-llama-cpp 3.21.1 a sort of the whole vocabulary (its
 * `SampleToken` sorts the candidates whenever a confidence is asked for): about 40% of a step on
 * coder-48m at 1 thread, and as much for every position of a draft batch. So it is asked for only
 * with `confidence` (the caller's confidence filter is on).
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { Drafter } from "./drafter";

/** Sampling options of node-llama-cpp's evaluation (temperature, seed, topK, tokenBias). */
export type Sampling = NonNullable<Parameters<LlamaContextSequence["evaluateWithMetadata"]>[2]>;

/** Gets each generated token with its probability (undefined when none was asked for); returns false to stop. */
export type TokenSink = (token: Token, confidence: number | undefined) => boolean;

export interface DraftUse {
    drafter: Drafter;
    /** The prompt; generated tokens are appended as they come (the drafter looks up in it). */
    history: Token[];
    isStop(token: Token): boolean;
    /** False while no draft may be proposed (it would be verified without the caller's token bias). */
    ready(): boolean;
}

export interface DraftCounts {
    drafted: number;
    accepted: number;
}

/**
 * Evaluates `input` and generates until `take` returns false or the sequence ends. With `drafts`
 * (greedy sampling only), verifies drafts in batches. With `confidence`, every token comes with
 * its probability.
 */
export async function generateTokens(
    sequence: LlamaContextSequence,
    input: Token[],
    sampling: Sampling,
    take: TokenSink,
    drafts?: DraftUse,
    confidence = true
): Promise<DraftCounts> {
    const counts: DraftCounts = { drafted: 0, accepted: 0 };
    let pending = input;
    for (;;) {
        // Plain steps until a draft is proposed (then `next` holds the token not yet evaluated).
        let next: { token: Token; draft: Token[] } | undefined;
        const iterator = sequence.evaluateWithMetadata(pending, { confidence }, sampling);
        let stepStarted: number | undefined;
        try {
            for await (const step of iterator) {
                const token = step.token;
                const now = performance.now();
                if (stepStarted !== undefined) drafts?.drafter.plainStep(now - stepStarted);
                if (!take(token, (step as { confidence?: number }).confidence)) return counts;
                stepStarted = now;
                if (!drafts) continue;
                drafts.history.push(token);
                if (!drafts.ready()) continue;
                const draft = drafts.drafter.propose(drafts.history, drafts.isStop);
                if (draft.length > 0) {
                    next = { token, draft };
                    break;
                }
            }
        } finally {
            await iterator.return();
        }
        if (!next || !drafts) return counts;
        const { token, draft } = next;
        const started = performance.now();
        const results = await sequence.controlledEvaluate(
            [token, ...draft].map(
                (t) => [t, { generateNext: { token: true, confidence } }] as const
            )
        );
        counts.drafted += draft.length;
        let accepted = 0;
        let last: Token | undefined;
        for (let i = 0; i <= draft.length; i++) {
            const out = results[i]?.next;
            if (out?.token == null) return counts;
            if (!take(out.token, confidence ? (out.confidence ?? 0) : undefined)) {
                drafts.drafter.draftStep(draft.length, accepted, performance.now() - started);
                counts.accepted += accepted;
                return counts;
            }
            drafts.history.push(out.token);
            if (i === draft.length || out.token !== draft[i]) {
                last = out.token;
                break;
            }
            accepted++;
        }
        counts.accepted += accepted;
        drafts.drafter.draftStep(draft.length, accepted, performance.now() - started);
        // The draft tokens after the first refused one are in the KV cache for nothing.
        const refused = draft.length - accepted;
        if (refused > 0)
            await sequence.eraseContextTokenRanges([
                { start: sequence.nextTokenIndex - refused, end: sequence.nextTokenIndex }
            ]);
        pending = [last!];
    }
}
