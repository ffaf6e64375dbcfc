/**
 * The retrieval-quality table of the workspace suite: per retriever, split (held-out, development)
 * and kind of question, recall@1/5/10 and MRR@10, with the held-out figures named for bench.json.
 */
import type { Table } from "../results";
import { fmt } from "../stats";
import type { Question, QuestionKind } from "./questions";
import type { RetrieverRun } from "./retrieval";
import { summarizeRanks, type RetrievalSummary } from "./score";

const KINDS: QuestionKind[] = ["definition", "callers", "words"];
const KIND_LABELS: Record<QuestionKind, string> = {
    definition: "where is `X` defined",
    callers: "what calls `Y`",
    words: "the code that does … (in words)"
};
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "n/a");

/** `figurePrefix` goes before each figure's name (e.g. "small" → smallLexicalRecallAt5). */
export function retrievalTable(
    title: string,
    runs: readonly RetrieverRun[],
    questions: readonly Question[],
    figures: Record<string, number>,
    figurePrefix: string,
    note: string
): Table {
    const rows: string[][] = [];
    for (const run of runs) {
        for (const split of ["heldOut", "dev"] as const) {
            for (const kind of [...KINDS, undefined]) {
                const picked = questions
                    .map((q, i) =>
                        q.split === split && (kind === undefined || q.kind === kind) ? i : -1
                    )
                    .filter((i) => i >= 0);
                const s = summarizeRanks(picked.map((i) => run.ranks[i]));
                rows.push(
                    retrievalRow(
                        run.retriever,
                        split === "heldOut" ? "held-out" : "development",
                        kind ? KIND_LABELS[kind] : "all",
                        s
                    )
                );
                if (kind === undefined || split === "heldOut") {
                    const base = figurePrefix
                        ? figurePrefix + capitalize(run.retriever)
                        : run.retriever;
                    const prefix = `${base}${split === "heldOut" ? "" : "Dev"}${kind ? capitalize(kind) : ""}`;
                    Object.assign(figures, {
                        [`${prefix}RecallAt5`]: s.recallAt5,
                        [`${prefix}Mrr`]: s.mrr,
                        [`${prefix}Questions`]: s.n
                    });
                }
            }
        }
    }
    return {
        title,
        columns: [
            "retriever",
            "split",
            "question",
            "n",
            "recall@1",
            "recall@5",
            "recall@10",
            "MRR@10"
        ],
        rows,
        note
    };
}

/** Each question with the rank of its first hit per retriever (for bench.json's samples). */
export function questionRanks(
    runs: readonly RetrieverRun[],
    questions: readonly Question[]
): unknown[] {
    return questions.map((q, i) => ({
        ...q,
        ranks: Object.fromEntries(runs.map((r) => [r.retriever, r.ranks[i] ?? null]))
    }));
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function retrievalRow(
    retriever: string,
    split: string,
    kind: string,
    s: RetrievalSummary
): string[] {
    return [
        retriever,
        split,
        kind,
        String(s.n),
        pct(s.recallAt1),
        pct(s.recallAt5),
        pct(s.recallAt10),
        fmt(s.mrr, 3)
    ];
}
