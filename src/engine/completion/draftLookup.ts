/**
 * Prompt lookup for draft-and-verify generation: code completions mostly repeat text that is
 * already there (names, argument lists, closing lines, the suggestion the user is typing along), so
 * the tokens that followed the last place where the same few tokens occurred are a good guess of
 * what the model will write next. Pure: token arrays in, a draft out.
 */
import type { Token } from "node-llama-cpp";

export interface DraftLookupOptions {
    /** Tokens of the history's tail that must match before anything is proposed. */
    minMatch: number;
    /** Longest match looked for (longer ones count as this long). */
    maxMatch: number;
    /** Proposals shorter than this are not worth a batch: verifying costs more than one plain step. */
    minDraft: number;
    /** Longest proposal. */
    maxDraft: number;
}

/**
 * Only well anchored drafts are worth a batch (./draftPolicy decides whether one is): six matching
 * tokens, at least three proposed, at most fifteen (a batch of 16).
 */
export const DRAFT_DEFAULTS: DraftLookupOptions = {
    minMatch: 6,
    maxMatch: 16,
    minDraft: 3,
    maxDraft: 15
};

interface Match {
    corpus: readonly Token[];
    /** Index in `corpus` of the first token of the continuation. */
    next: number;
    length: number;
}

/**
 * The longest run ending at `history`'s last token that also ends at `corpus[end - 1]` for some
 * `end` below `limit`; at equal length the latest one wins.
 */
function bestMatchIn(
    corpus: readonly Token[],
    limit: number,
    history: readonly Token[],
    options: DraftLookupOptions,
    best: Match | undefined
): Match | undefined {
    const last = history[history.length - 1];
    for (let end = limit; end >= options.minMatch; end--) {
        if (corpus[end - 1] !== last) continue;
        let length = 1;
        while (
            length < options.maxMatch &&
            end - 1 - length >= 0 &&
            history.length - 1 - length >= 0 &&
            corpus[end - 1 - length] === history[history.length - 1 - length]
        )
            length++;
        if (length >= options.minMatch && (!best || length > best.length)) {
            best = { corpus, next: end, length };
            if (length >= options.maxMatch) break;
        }
    }
    return best;
}

/**
 * Proposes the tokens that come next after `history` (the prompt and what was generated so far):
 * where its last tokens occurred before, in `history` itself or in one of `sources` (earlier
 * suggestions, newest first), take what followed. Stops before a token for which `isStop` is true.
 * Empty when nothing matches well enough.
 */
export function lookupDraft(
    history: readonly Token[],
    sources: readonly (readonly Token[])[],
    isStop: (token: Token) => boolean,
    options: DraftLookupOptions = DRAFT_DEFAULTS
): Token[] {
    if (history.length < options.minMatch + 1) return [];
    // Earlier suggestions first: a match there of the same length is the more recent text.
    let best: Match | undefined;
    for (const source of sources)
        best = bestMatchIn(source, source.length - 1, history, options, best);
    // In the history itself the match must end before its last token (that is the tail itself).
    best = bestMatchIn(history, history.length - 1, history, options, best);
    if (!best) return [];
    const draft: Token[] = [];
    for (let i = best.next; i < best.corpus.length && draft.length < options.maxDraft; i++) {
        const token = best.corpus[i];
        if (isStop(token)) break;
        draft.push(token);
    }
    return draft.length >= options.minDraft ? draft : [];
}
