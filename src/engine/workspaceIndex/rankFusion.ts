/**
 * Reciprocal rank fusion: each retriever's ranking counts by rank alone (1 / (k + rank)), so a
 * BM25 score and a cosine similarity never have to be put on one scale. A chunk two retrievers
 * both rank well beats one that only one of them ranks first.
 */

/** The usual constant from the paper (Cormack et al., 2009): damps the weight of the very first ranks. */
export const RRF_K = 60;

export interface Ranked {
    id: number;
    score: number;
}

/** Fuses rankings (each best first) into one, best first; ties keep the first ranking's order. */
export function reciprocalRankFusion(
    rankings: readonly (readonly { id: number }[])[],
    k = RRF_K
): Ranked[] {
    const scores = new Map<number, number>();
    for (const ranking of rankings) {
        ranking.forEach(({ id }, rank) =>
            scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1))
        );
    }
    return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
