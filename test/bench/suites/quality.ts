/**
 * Suggestion quality on held-out code: seeded cases over the development set (a line cut at a
 * cursor), asked of the engine through `textDocument/inlineCompletion` (automatic trigger, the
 * editor's options) and, with `--llama-server`, of llama.cpp server's `/infill` with llama.vscode's
 * request, alternately case by case. Scores the first line of each suggestion (quality/score.ts).
 */
import * as path from "node:path";
import { COMPLETION_DEFAULTS } from "../../../src/shared/completionProtocol";
import { REPO_ROOT } from "../../support/models";
import { NOT_PRESENT } from "../engineAdapter";
import { LlamaServerClient } from "../llamaServer";
import { caseDocument, makeCases, splitCount, type QualityCase } from "../quality/cases";
import { findDevSet, LANGUAGES, type Language } from "../quality/devSet";
import { llamaVscodeShows, qualityInfillBody } from "../quality/llamaVscode";
import {
    confidenceCurve,
    scoreSuggestion,
    summarizeScores,
    type QualitySummary,
    type Suggestion
} from "../quality/score";
import type { BarChart, Table } from "../results";
import { fmt } from "../stats";
import { skipped, type Suite } from "../suite";

const EXTENSIONS: Record<Language, string> = { javascript: "js", typescript: "ts", python: "py" };
const LABELS: Record<Language, string> = {
    javascript: "JavaScript",
    typescript: "TypeScript",
    python: "Python"
};
export const CURVE_THRESHOLDS = [
    0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9
];

/** Where the cursor sits: the kinds of case a rule may help or hurt. */
export type CursorKind = "line start" | "inside a word" | "end of a word" | "after a symbol";
export function cursorKind(c: Pick<QualityCase, "typed" | "truth">): CursorKind {
    if (c.typed.trim() === "") return "line start";
    const before = c.typed[c.typed.length - 1]!;
    if (/\w/.test(before)) return /^\w/.test(c.truth) ? "inside a word" : "end of a word";
    return "after a symbol";
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "n/a");

function summaryRow(label: string, engine: string, s: QualitySummary): string[] {
    return [
        label,
        engine,
        String(s.n),
        pct(s.shown),
        pct(s.exact),
        pct(s.exactAmongShown),
        pct(s.acceptedPrefix),
        fmt(s.similarity, 3),
        fmt(s.similarityAmongShown, 3),
        fmt(s.latencyP50, 0)
    ];
}

export const qualitySuite: Suite = {
    id: "quality",
    title: "Suggestion quality (held-out development set)",
    async run({ options, engine, log }) {
        const devSet = findDevSet(path.join(REPO_ROOT, "node_modules"), REPO_ROOT);
        if (devSet.files.length === 0)
            return skipped(
                "no development-set files are installed here (see ../shared/models/README.md)"
            );
        const cases = makeCases(devSet.files, splitCount(options.qualityCases), options.seed);
        const minConfidence = options.minConfidence ?? COMPLETION_DEFAULTS.minConfidence;
        const adapter = await engine();
        const reasons: string[] = [];
        if (!adapter.hasCompletion) reasons.push(`Apprentice: ${NOT_PRESENT}`);
        const client = options.llamaServer ? new LlamaServerClient(options.llamaServer) : undefined;
        if (client) await client.checkHealth();
        else reasons.push("llama-server: not given (--llama-server URL)");
        if (!adapter.hasCompletion && !client) return skipped(reasons.join("; "));
        log(
            `  ${cases.length} cases from ${devSet.files.length} files (${LANGUAGES.map((l) => `${LABELS[l]} ${cases.filter((c) => c.language === l).length}`).join(", ")}); missing here: ${devSet.missing.join(", ") || "none"}`
        );

        // The editor's options (the extension sends its settings); the filter is applied here, so
        // that the confidence of every suggestion is known for the curve. The engine's filter is on
        // (so it measures the confidence) at the smallest threshold, which hides nothing: a
        // non-empty suggestion's confidence is a mean of probabilities, each above 0.
        const engineOptions = {
            maxLines: COMPLETION_DEFAULTS.maxLines,
            maxTokens: COMPLETION_DEFAULTS.maxTokens,
            minConfidence: Number.MIN_VALUE,
            computeAhead: false
        };
        const mine: Suggestion[] = [];
        const theirs: Suggestion[] = [];
        const serverErrors: string[] = [];
        for (const c of cases) {
            if (adapter.hasCompletion) {
                const uri = `file:///bench/quality/case${c.id}.${EXTENSIONS[c.language]}`;
                await adapter.openDocument(uri, caseDocument(c), c.language);
                const r = await adapter.suggest(uri, c.line, c.character, engineOptions);
                await adapter.closeDocument(uri);
                mine.push({ text: r.text, confidence: r.confidence ?? 0, wallMs: r.wallMs });
            }
            if (client) {
                // An error answer (e.g. a prompt over the context) shows nothing in llama.vscode either.
                const r = await client
                    .infillContent(qualityInfillBody(c, options.seed * 100_000 + c.id))
                    .catch((error: unknown) => {
                        serverErrors.push(
                            `case ${c.id}: ${error instanceof Error ? error.message.slice(0, 160) : String(error)}`
                        );
                        return { wallMs: NaN, content: "" };
                    });
                theirs.push({ text: llamaVscodeShows(r.content, c), wallMs: r.wallMs });
            }
            if ((c.id + 1) % 50 === 0) log(`  ${c.id + 1}/${cases.length}`);
        }

        if (serverErrors.length)
            reasons.push(
                `llama-server answered ${serverErrors.length} of ${cases.length} cases with an error, counted as no suggestion (first: ${serverErrors[0]})`
            );
        const engines: [string, string, Suggestion[], number][] = [];
        if (mine.length) engines.push(["apprentice", "Apprentice", mine, minConfidence]);
        if (theirs.length) engines.push(["llamaServer", "llama-server", theirs, 0]);
        const groups: [string, (c: QualityCase) => boolean][] = [
            ...LANGUAGES.filter((l) => cases.some((c) => c.language === l)).map(
                (l) =>
                    [LABELS[l], (c: QualityCase) => c.language === l] as [
                        string,
                        (c: QualityCase) => boolean
                    ]
            ),
            ["overall", () => true]
        ];
        const figures: Record<string, number> = { cases: cases.length, minConfidence };
        const rows: string[][] = [];
        const overall = new Map<string, QualitySummary>();
        for (const [label, pick] of groups) {
            for (const [key, name, suggestions, threshold] of engines) {
                const idx = cases.map((c, i) => (pick(c) ? i : -1)).filter((i) => i >= 0);
                const s = summarizeScores(
                    idx.map((i) => scoreSuggestion(suggestions[i]!, cases[i]!.truth, threshold)),
                    idx.map((i) => suggestions[i]!.wallMs)
                );
                rows.push(summaryRow(label, name, s));
                const prefix = `${key}${label === "overall" ? "" : label}`;
                Object.assign(figures, {
                    [`${prefix}Shown`]: s.shown,
                    [`${prefix}Exact`]: s.exact,
                    [`${prefix}ExactAmongShown`]: s.exactAmongShown,
                    [`${prefix}AcceptedPrefix`]: s.acceptedPrefix,
                    [`${prefix}EditSimilarity`]: s.similarity,
                    [`${prefix}LatencyP50`]: s.latencyP50
                });
                if (label === "overall") overall.set(name, s);
            }
        }
        const columns = [
            "cases",
            "engine",
            "n",
            "shown",
            "exact",
            "exact among shown",
            "accepted prefix",
            "edit similarity",
            "edit similarity among shown",
            "latency p50 (ms)"
        ];
        const tables: Table[] = [
            {
                title: `First line of the suggestion against the removed text (${cases.length} cases, seed ${options.seed})`,
                columns,
                rows,
                note:
                    `Apprentice: textDocument/inlineCompletion, automatic trigger, maxTokens ${engineOptions.maxTokens}, maxLines ${engineOptions.maxLines}, shown when its confidence ≥ ${minConfidence}. ` +
                    "llama-server: /infill with llama.vscode's request (top-k 40, top-p 0.99, n_predict 128, a fixed seed), shown as llama.vscode shows it. " +
                    "Edit similarity is of what was proposed before the confidence filter (none: 0). Layout caution: most of this model's FIM training holes start at a line start " +
                    "with the typed part of the line after the middle token (Apprentice's layout); llama-server appends the typed part to the prefix, which this model saw less, so the comparison of layouts favours Apprentice."
            }
        ];

        const byKind: string[][] = [];
        for (const kind of [
            "line start",
            "inside a word",
            "end of a word",
            "after a symbol"
        ] as CursorKind[]) {
            const idx = cases
                .map((c, i) => (cursorKind(c) === kind ? i : -1))
                .filter((i) => i >= 0);
            if (idx.length === 0) continue;
            for (const [, name, suggestions, threshold] of engines) {
                const s = summarizeScores(
                    idx.map((i) => scoreSuggestion(suggestions[i]!, cases[i]!.truth, threshold)),
                    idx.map((i) => suggestions[i]!.wallMs)
                );
                byKind.push(summaryRow(kind, name, s));
            }
        }
        tables.push({
            title: "By cursor position",
            columns: ["cursor", ...columns.slice(1)],
            rows: byKind
        });

        let curveSamples: unknown;
        if (mine.length) {
            const curve = confidenceCurve(
                mine,
                cases.map((c) => c.truth),
                CURVE_THRESHOLDS
            );
            tables.push({
                title: "Apprentice's confidence filter: shown rate against exactness by threshold",
                columns: [
                    "minConfidence",
                    "shown",
                    "exact",
                    "exact among shown",
                    "exact ones still shown"
                ],
                rows: curve.map((p) => [
                    String(p.threshold),
                    pct(p.shown),
                    pct(p.exact),
                    pct(p.exactAmongShown),
                    pct(p.exactKept)
                ]),
                note: "Confidence: the mean probability of the suggestion's generated tokens (item.apprentice.confidence)."
            });
            curveSamples = curve;
        }
        const series = engines.map(([, name]) => name);
        const measure = (label: string, get: (s: QualitySummary) => number) => ({
            label,
            values: series.map((n) => get(overall.get(n)!))
        });
        const chart: BarChart = {
            file: "quality.svg",
            title: `Suggestion quality, first line, ${cases.length} held-out cases`,
            series,
            groups: [
                measure("shown", (s) => s.shown),
                measure("exact", (s) => s.exact),
                measure("exact among shown", (s) => s.exactAmongShown),
                measure("accepted prefix", (s) => s.acceptedPrefix),
                measure("edit similarity", (s) => s.similarity)
            ]
        };
        const samples = cases.map((c, i) => ({
            id: c.id,
            language: c.language,
            file: c.file.name,
            line: c.line,
            character: c.character,
            typed: c.typed,
            truth: c.truth,
            apprentice: mine[i],
            llamaServer: theirs[i]
        }));
        return {
            status: "ok",
            reason: reasons.join("; ") || undefined,
            figures,
            tables,
            charts: [chart],
            samples: { cases: samples, curve: curveSamples, missing: devSet.missing, serverErrors }
        };
    }
};
