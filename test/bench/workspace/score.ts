/** Scores retrieval against known answer places: the rank of the first hit, recall@k and MRR. Pure. */
import type { AnswerPlace } from "./questions";

export interface RetrievedChunk {
    /** Relative to the indexed folder, with `/`. */
    relativePath: string;
    /** 1-based, inclusive. */
    startLine: number;
    endLine: number;
}

export interface RetrievalSummary {
    n: number;
    recallAt1: number;
    recallAt5: number;
    recallAt10: number;
    /** Mean reciprocal rank of the first hit within the top 10 (none: 0). */
    mrr: number;
}

export const MRR_DEPTH = 10;

/** 1-based rank of the first chunk that covers an answer line, or undefined when none does. */
export function firstHitRank(
    chunks: readonly RetrievedChunk[],
    answers: readonly AnswerPlace[]
): number | undefined {
    const index = chunks.findIndex((c) =>
        answers.some(
            (a) =>
                a.file === c.relativePath && a.lines.some((l) => l >= c.startLine && l <= c.endLine)
        )
    );
    return index < 0 ? undefined : index + 1;
}

export function summarizeRanks(ranks: readonly (number | undefined)[]): RetrievalSummary {
    const n = ranks.length;
    const within = (k: number) =>
        n === 0 ? NaN : ranks.filter((r) => r !== undefined && r <= k).length / n;
    const mrr =
        n === 0
            ? NaN
            : ranks.reduce<number>(
                  (sum, r) => sum + (r !== undefined && r <= MRR_DEPTH ? 1 / r : 0),
                  0
              ) / n;
    return { n, recallAt1: within(1), recallAt5: within(5), recallAt10: within(10), mrr };
}
