/**
 * Asks every question of the engine's search request, per retriever, and scores the chunks it
 * returns (top 10, no token budget) against the known answer places. The retrievers are the ones
 * the engine says took part: "lexical" always; "embedding" and "fused" columns appear when the
 * engine has them (the search result's `retrievers`).
 */
import type { WorkspaceSearchParams } from "../../../src/shared/workspaceIndexProtocol";
import type { IndexClient } from "./indexClient";
import type { Question } from "./questions";
import { firstHitRank, MRR_DEPTH } from "./score";

export interface RetrieverRun {
    /** "lexical", "embedding" or "fused". */
    retriever: string;
    /** Rank of the first hit per question (undefined: not in the top 10). */
    ranks: (number | undefined)[];
    /** Search request wall time per question. */
    wallMs: number[];
}

/** Search params that pick one retriever, for the retrievers an engine offers besides its default. */
export type RetrieverParams = Record<
    string,
    Partial<WorkspaceSearchParams> & Record<string, unknown>
>;

/** Retriever runs: the engine's default search (named after what took part) and any extra ones. */
export async function runRetrieval(
    client: IndexClient,
    questions: readonly Question[],
    extra: RetrieverParams = {}
): Promise<RetrieverRun[]> {
    const runs: RetrieverRun[] = [];
    const ask = async (
        params: Partial<WorkspaceSearchParams>
    ): Promise<{ run: RetrieverRun; tookPart: string[] }> => {
        const run: RetrieverRun = { retriever: "", ranks: [], wallMs: [] };
        let tookPart: string[] = [];
        for (const q of questions) {
            const { wallMs, result } = await client.search({
                query: q.text,
                limit: MRR_DEPTH,
                maxTokens: 1_000_000,
                ...params
            });
            tookPart = result.retrievers;
            run.ranks.push(firstHitRank(result.chunks, q.answers));
            run.wallMs.push(wallMs);
        }
        return { run, tookPart };
    };
    const base = await ask({});
    base.run.retriever = base.tookPart.length > 1 ? "fused" : (base.tookPart[0] ?? "lexical");
    runs.push(base.run);
    // Several retrievers took part: each alone too, where the engine can be asked for one (it says which took part).
    if (base.tookPart.length > 1 && questions.length > 0) {
        for (const one of base.tookPart) {
            const probe = await client.search({
                query: questions[0]!.text,
                limit: 1,
                ...({ retrievers: [one] } as Partial<WorkspaceSearchParams>)
            });
            if (probe.result.retrievers.length === 1 && probe.result.retrievers[0] === one)
                extra[one] ??= { retrievers: [one] };
        }
    }
    for (const [name, params] of Object.entries(extra)) {
        const { run } = await ask(params);
        run.retriever = name;
        runs.push(run);
    }
    return runs;
}
