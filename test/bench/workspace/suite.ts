/**
 * The workspace index (`@workspace`): build speed, memory and size on disk, incremental update,
 * reload and query latency on a large real tree nobody here wrote; retrieval quality on seeded
 * questions with known answers (recall@k and MRR per retriever); and whether a build slows typing.
 */
import * as path from "node:path";
import { REPO_ROOT } from "../../support/models";
import { loadAvg } from "../machine";
import type { Table } from "../results";
import { fmt, fmtRatio, median, ratio, summarize } from "../stats";
import { type BenchContext, type Suite, type SuiteOutcome } from "../suite";
import { findSourceFiles, pickPositions } from "../replay";
import { splitColdWarm } from "../suites/replay";
import {
    buildIndex,
    indexedFiles,
    IndexEngine,
    measureReload,
    measureUpdates,
    temporaryFolder
} from "./build";
import { makeQuestions, type Question, type QuestionKind } from "./questions";
import { runRetrieval, type RetrieverRun } from "./retrieval";
import { questionRanks, retrievalTable } from "./retrievalTable";
import { retrieversPart } from "./retrieversPart";
import { mirrorTree, QUICK_PACKAGES } from "./tree";
import { measureTyping } from "./typing";

const KINDS: QuestionKind[] = ["definition", "callers", "words"];
const QUESTIONS_NOTE =
    "A hit is a returned chunk that covers an answer line (the declaration, or a call site). Questions are generated from the indexed files by regular expressions " +
    "(declarations: at most 3 per name; callers: 1-5 call sites) and split by a hash of the name: report the held-out half, tune only on the development half.";
const load = (l: readonly number[]) => l.join(" ");

export const workspaceSuite: Suite = {
    id: "workspace",
    title: "Workspace index (@workspace)",
    async run(context) {
        const nodeModules = path.join(REPO_ROOT, "node_modules");
        const full = context.options.mode === "full";
        const tree = mirrorTree(nodeModules, full ? undefined : QUICK_PACKAGES);
        const storage = temporaryFolder("index");
        const figures: Record<string, number> = {};
        const tables: Table[] = [];
        const samples: Record<string, unknown> = {};
        try {
            context.log(
                `  tree: ${tree.source}, ${tree.files} files mirrored to ${tree.root} (load average ${load(loadAvg())})`
            );
            await indexPart(context, tree, storage.path, figures, tables, samples);
            await retrieversPart(context, nodeModules, QUESTIONS_NOTE, figures, tables, samples);
            await typingPart(context, nodeModules, figures, tables, samples);
        } finally {
            tree.dispose();
            storage.dispose();
        }
        return { status: "ok", figures, tables, samples } satisfies SuiteOutcome;
    }
};

async function indexPart(
    context: BenchContext,
    tree: ReturnType<typeof mirrorTree>,
    storage: string,
    figures: Record<string, number>,
    tables: Table[],
    samples: Record<string, unknown>
): Promise<void> {
    const { options, log } = context;
    const full = options.mode === "full";
    const engine = await IndexEngine.start(options.engine);
    let questions: Question[] = [];
    let runs: RetrieverRun[] = [];
    try {
        const build = await buildIndex(engine, tree.root, storage);
        const filesPerSecond = build.filesListed / (build.buildMs / 1000);
        log(
            `  build: ${build.files} files with chunks of ${build.filesListed} listed, ${build.chunks} chunks in ${(build.buildMs / 1000).toFixed(1)} s (${filesPerSecond.toFixed(0)} files/s), index file ${(build.indexFileBytes / 1024 / 1024).toFixed(1)} MiB, RSS ${build.rssBeforeMiB} → ${build.rssAfterMiB} MiB (load average ${load(build.loadAvg)})`
        );
        Object.assign(figures, {
            buildFilesListed: build.filesListed,
            buildFilesWithChunks: build.files,
            buildChunks: build.chunks,
            buildSeconds: build.buildMs / 1000,
            buildFilesPerSecond: filesPerSecond,
            buildChunksPerSecond: build.chunks / (build.buildMs / 1000),
            indexFileMiB: build.indexFileBytes / 1024 / 1024,
            rssBeforeMiB: build.rssBeforeMiB,
            rssAfterBuildMiB: build.rssAfterMiB,
            rssPeakMiB: build.rssPeakMiB,
            rssIndexMiB: build.rssAfterMiB - build.rssBeforeMiB,
            buildLoadAvg1: build.loadAvg[0]!
        });

        const files = indexedFiles(tree.root, storage);
        questions = makeQuestions(files, full ? 200 : 60, options.seed);
        log(
            `  ${questions.length} questions (${KINDS.map((k) => `${k} ${questions.filter((q) => q.kind === k).length}`).join(", ")}), seed ${options.seed}`
        );
        runs = await runRetrieval(engine.client, questions);
        const queryLoad = loadAvg();
        const latency = summarize(runs[0]!.wallMs);
        Object.assign(figures, {
            queries: latency.n,
            queryP50Ms: latency.p50,
            queryP95Ms: latency.p95,
            queryMaxMs: latency.max,
            queryLoadAvg1: queryLoad[0]!
        });
        log(
            `  query latency over ${latency.n} searches: p50 ${fmt(latency.p50)} ms, p95 ${fmt(latency.p95)} ms (load average ${load(queryLoad)})`
        );

        const updates = await measureUpdates(engine, tree, files, full ? 10 : 5, options.seed);
        const updateLoad = loadAvg();
        const update = summarize(updates.map((u) => u.wallMs));
        Object.assign(figures, {
            updateP50Ms: update.p50,
            updateMaxMs: update.max,
            updatesFound: updates.filter((u) => u.found).length,
            updates: updates.length,
            updateLoadAvg1: updateLoad[0]!
        });
        log(
            `  incremental update of one file: p50 ${fmt(update.p50, 0)} ms, max ${fmt(update.max, 0)} ms over ${updates.length} edits, ${updates.filter((u) => u.found).length} found by search right after (load average ${load(updateLoad)})`
        );
        samples.updates = updates;

        await engine.shutdown();
        const reload = await measureReload(options.engine, tree.root, storage);
        const reloadLoad = loadAvg();
        Object.assign(figures, {
            reloadSeconds: reload.readyMs / 1000,
            reloadRssMiB: reload.rssAfterMiB,
            reloadLoadAvg1: reloadLoad[0]!
        });
        log(
            `  reload from the saved index: ready in ${(reload.readyMs / 1000).toFixed(1)} s, ${reload.files} files, ${reload.chunks} chunks, RSS ${reload.rssAfterMiB} MiB (load average ${load(reloadLoad)})`
        );

        tables.push({
            title: `Index build of ${tree.source} (${tree.files} files)`,
            columns: ["measure", "value"],
            rows: [
                ["files listed (after .gitignore, secrets, binary)", String(build.filesListed)],
                ["files with chunks (not huge, not binary)", String(build.files)],
                ["chunks", String(build.chunks)],
                ["build time from nothing (s)", fmt(build.buildMs / 1000, 1)],
                ["files/s (listed)", fmt(filesPerSecond, 0)],
                ["chunks/s", fmt(build.chunks / (build.buildMs / 1000), 0)],
                ["index file on disk (MiB)", fmt(build.indexFileBytes / 1024 / 1024, 1)],
                [
                    "engine RSS before → after (MiB, no model loaded)",
                    `${build.rssBeforeMiB} → ${build.rssAfterMiB} (peak ${build.rssPeakMiB})`
                ],
                [
                    `query latency p50 / p95 (ms, ${latency.n} searches, top 10 with text)`,
                    `${fmt(latency.p50, 1)} / ${fmt(latency.p95, 1)}`
                ],
                [
                    `incremental update of one edited file p50 / max (ms, ${updates.length} edits)`,
                    `${fmt(update.p50, 0)} / ${fmt(update.max, 0)}`
                ],
                [
                    "edits found by a search right after",
                    `${updates.filter((u) => u.found).length} of ${updates.length}`
                ],
                ["reload from the saved index, ready (s)", fmt(reload.readyMs / 1000, 2)],
                ["engine RSS after reload (MiB)", fmt(reload.rssAfterMiB, 1)]
            ],
            note:
                `Load average (1 min) at the build ${build.loadAvg[0]}, queries ${queryLoad[0]}, updates ${updateLoad[0]}, reload ${reloadLoad[0]}. ` +
                "An engine of its own without a model, over JSON-RPC as the extension drives it. The update time runs from the watcher notification to the index's progress report and includes its 300 ms debounce."
        });
    } finally {
        await engine.shutdown().catch(() => undefined);
    }

    const offered = runs.map((r) => r.retriever);
    const missing = ["lexical", "embedding", "fused"].filter((r) => !offered.includes(r));
    tables.push(
        retrievalTable(
            `Retrieval quality: ${questions.length} questions with known answers (seed ${options.seed})`,
            runs,
            questions,
            figures,
            "",
            QUESTIONS_NOTE +
                (missing.length
                    ? ` Not in this run: ${missing.join(", ")} retrieval (no embedding model; see --embedding-model).`
                    : "")
        )
    );
    samples.questions = questionRanks(runs, questions);
}

async function typingPart(
    context: BenchContext,
    folder: string,
    figures: Record<string, number>,
    tables: Table[],
    samples: Record<string, unknown>
): Promise<void> {
    const { options } = context;
    // Positions of their own (another seed than the replay suite's): a position typed twice is answered from the engine's cache.
    const perRun = options.positions;
    const all = pickPositions(
        findSourceFiles(folder, 3, options.seed, REPO_ROOT),
        perRun * (1 + 2 * options.rounds),
        options.chars,
        options.seed ^ 0x1d3
    );
    if (all.length === 0) {
        figures.typingSkipped = 1;
        return;
    }
    const sets = Array.from({ length: 1 + 2 * options.rounds }, (_, i) =>
        all.slice(i * perRun, (i + 1) * perRun)
    );
    const adapter = await context.engine();
    if (!adapter.hasCompletion) {
        figures.typingSkipped = 1;
        return;
    }
    context.log(
        `  typing replay, ${options.rounds} rounds alternating index off / building (${folder}), ${perRun} positions × ${options.chars} characters each`
    );
    const runs = await measureTyping(adapter, sets, folder, options.maxTokens, context.log);
    const pooled = (withIndex: boolean) =>
        splitColdWarm(runs.filter((r) => r.withIndex === withIndex).flatMap((r) => r.samples));
    const off = pooled(false);
    const on = pooled(true);
    const roundRatios = [...new Set(runs.map((r) => r.round))].map((round) => {
        const warm = (withIndex: boolean) =>
            median(
                splitColdWarm(
                    runs.find((r) => r.round === round && r.withIndex === withIndex)!.samples
                ).warm
            );
        return ratio(warm(true), warm(false));
    });
    const building = runs.filter((r) => r.withIndex);
    const keystrokes = building.reduce((n, r) => n + r.samples.length, 0);
    const duringBuild = building.reduce((n, r) => n + r.duringBuild, 0);
    const filesIndexed = building.reduce((n, r) => n + r.filesIndexed, 0);
    const typingSeconds = building.reduce((n, r) => n + r.seconds, 0);
    Object.assign(figures, {
        typingWarmP50OffMs: median(off.warm),
        typingWarmP50BuildingMs: median(on.warm),
        typingWarmP50Ratio: ratio(median(on.warm), median(off.warm)),
        typingWarmP50RatioMedianOfRounds: median(roundRatios),
        typingColdP50OffMs: median(off.cold),
        typingColdP50BuildingMs: median(on.cold),
        typingColdP50Ratio: ratio(median(on.cold), median(off.cold)),
        typingKeystrokesDuringBuild: duringBuild,
        typingKeystrokesWithIndex: keystrokes,
        typingFilesIndexedWhileTyping: filesIndexed,
        typingFilesPerSecondWhileTyping: filesIndexed / typingSeconds
    });
    tables.push({
        title: "Typing replay with the index off and while it builds (alternating rounds)",
        columns: [
            "round",
            "index",
            "warm p50 (ms)",
            "cold p50 (ms)",
            "keystrokes (while building)",
            "files indexed meanwhile",
            "load average"
        ],
        rows: [
            ...runs.map((r) => {
                const s = splitColdWarm(r.samples);
                return [
                    String(r.round + 1),
                    r.withIndex ? "building" : "off",
                    fmt(median(s.warm), 0),
                    fmt(median(s.cold), 0),
                    r.withIndex
                        ? `${r.samples.length} (${r.duringBuild})`
                        : String(r.samples.length),
                    r.withIndex ? String(r.filesIndexed) : "",
                    load(r.loadAvg)
                ];
            }),
            [
                "all",
                "building / off",
                `${fmt(median(on.warm), 0)} / ${fmt(median(off.warm), 0)} = ${fmtRatio(ratio(median(on.warm), median(off.warm)))}`,
                `${fmt(median(on.cold), 0)} / ${fmt(median(off.cold), 0)} = ${fmtRatio(ratio(median(on.cold), median(off.cold)))}`,
                `${keystrokes} (${duringBuild})`,
                String(filesIndexed),
                ""
            ]
        ],
        note:
            `Median of the per-round warm ratios: ${fmtRatio(median(roundRatios))}. The index builds ${folder.replace(REPO_ROOT + path.sep, "")} from nothing in the engine that answers the completions; ` +
            "it pauses while the user types (an edit in the last 400 ms) and works in slices of at most 8 ms otherwise." +
            " Warm keystrokes include ones answered from the suggestion being typed along (about 1 ms), so their p50 moves with how many of those a run has; the cold p50 is a model call every time."
    });
    samples.typing = runs.map((r) => ({
        ...r,
        samples: undefined,
        warm: splitColdWarm(r.samples).warm
    }));
}
