/** Typing replay through the engine's inline completion and, when given, a llama.cpp server's /infill: side by side. */
import * as path from "node:path";
import { EngineAdapter, NOT_PRESENT } from "../engineAdapter";
import { LlamaServerClient } from "../llamaServer";
import { startLlamaServer, type LlamaServerProcess } from "../llamaServerProcess";
import { loadAvg, waitForIdle } from "../machine";
import { documentBeforeTyping, type KeystrokeSample, type ReplayPosition } from "../replay";
import type { LatencySeries, Table } from "../results";
import { fmt, fmtRatio, mean, ratio, summarize } from "../stats";
import { skipped, type BenchContext, type Suite } from "../suite";

export const REPLAY_URI = "file:///bench/replay.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Replays every position through the engine: reset the document, then per keystroke a change and a
 * completion request. With `restMs`, the cursor first rests at the position that long (the editor
 * sends a prefetch, as after a click).
 */
export async function replayEngine(
    engine: EngineAdapter,
    positions: readonly ReplayPosition[],
    maxTokens: number,
    onSample?: (s: KeystrokeSample) => void,
    restMs = 0
): Promise<KeystrokeSample[]> {
    const samples: KeystrokeSample[] = [];
    let opened = false;
    for (const [index, position] of positions.entries()) {
        const text = documentBeforeTyping(position);
        if (!opened) await engine.openDocument(REPLAY_URI, text);
        else await engine.replaceDocument(REPLAY_URI, text);
        opened = true;
        if (restMs > 0) {
            await engine.prefetch(REPLAY_URI, position.line, 0);
            await sleep(restMs);
        }
        for (let k = 1; k <= position.typed.length; k++) {
            await engine.type(REPLAY_URI, position.line, k - 1, position.typed[k - 1]!);
            const r = await engine.complete(REPLAY_URI, position.line, k, maxTokens);
            const sample = {
                position: index,
                keystroke: k,
                wallMs: r.wallMs,
                evaluated: r.evaluated,
                reused: r.reused,
                generated: r.generated,
                drafted: r.drafted,
                accepted: r.accepted
            };
            samples.push(sample);
            onSample?.(sample);
        }
    }
    if (opened) await engine.closeDocument(REPLAY_URI);
    return samples;
}

async function replayServer(
    client: LlamaServerClient,
    positions: readonly ReplayPosition[],
    maxTokens: number,
    restMs = 0
): Promise<KeystrokeSample[]> {
    const samples: KeystrokeSample[] = [];
    for (const [index, position] of positions.entries()) {
        // The same pause; a llama.cpp server has nothing to do with it (llama.vscode sends nothing then).
        if (restMs > 0) await sleep(restMs);
        for (let k = 1; k <= position.typed.length; k++) {
            const r = await client.infill(position, k, maxTokens);
            samples.push({ position: index, keystroke: k, ...r });
        }
    }
    return samples;
}

export function splitColdWarm(samples: readonly KeystrokeSample[]): {
    cold: number[];
    warm: number[];
    warmEvaluated: number[];
} {
    const cold = samples.filter((s) => s.keystroke === 1);
    const warm = samples.filter((s) => s.keystroke > 1);
    return {
        cold: cold.map((s) => s.wallMs),
        warm: warm.map((s) => s.wallMs),
        warmEvaluated: warm.map((s) => s.evaluated)
    };
}

/** Percentile table of one or two engines; the ratio column appears when both ran. */
export function replayTable(
    kind: "cold" | "warm",
    apprentice: number[] | undefined,
    server: number[] | undefined,
    restMs = 0
): Table {
    const restNote =
        restMs > 0 && kind === "cold"
            ? `, after the cursor rested ${restMs} ms at the position`
            : "";
    const a = apprentice ? summarize(apprentice) : undefined;
    const s = server ? summarize(server) : undefined;
    const columns = ["percentile (ms)"];
    if (a) columns.push("Apprentice");
    if (s) columns.push("llama-server");
    if (a && s) columns.push("Apprentice / llama-server");
    const rows = (["p50", "p90", "p95", "max"] as const).map((p) => {
        const row: string[] = [p];
        if (a) row.push(fmt(a[p], 0));
        if (s) row.push(fmt(s[p], 0));
        if (a && s) row.push(fmtRatio(ratio(a[p], s[p])));
        return row;
    });
    return {
        title: `${kind === "cold" ? "Cold (first keystroke at a position)" : "Warm (following keystrokes)"}: n = ${a?.n ?? s?.n ?? 0}${restNote}`,
        columns,
        rows
    };
}

/** Percentile figures of one engine's replay, named `${prefix}ColdP50`, … */
function replayFigures(
    prefix: string,
    samples: readonly KeystrokeSample[]
): Record<string, number> {
    const split = splitColdWarm(samples);
    const cold = summarize(split.cold);
    const warm = summarize(split.warm);
    const warmSamples = samples.filter((x) => x.keystroke > 1);
    return {
        [`${prefix}ColdP50`]: cold.p50,
        [`${prefix}ColdP90`]: cold.p90,
        [`${prefix}ColdP95`]: cold.p95,
        [`${prefix}ColdMax`]: cold.max,
        [`${prefix}WarmP50`]: warm.p50,
        [`${prefix}WarmP90`]: warm.p90,
        [`${prefix}WarmP95`]: warm.p95,
        [`${prefix}WarmMax`]: warm.max,
        [`${prefix}WarmMeanEvaluatedTokens`]: mean(split.warmEvaluated),
        [`${prefix}WarmMeanGeneratedTokens`]: mean(warmSamples.map((x) => x.generated)),
        [`${prefix}ColdMeanEvaluatedTokens`]: mean(
            samples.filter((x) => x.keystroke === 1).map((x) => x.evaluated)
        ),
        [`${prefix}MeanGeneratedTokens`]: mean(samples.map((x) => x.generated))
    };
}

interface ModelReplay {
    model: string;
    mine?: KeystrokeSample[];
    theirs?: KeystrokeSample[];
    serverArgs?: readonly string[];
    loadAvg: { start: number[]; end: number[] };
}

/**
 * One model's replay, Apprentice and llama-server alternating position by position (each position
 * is typed on one side, then on the other), so both see the same minutes of a shared machine. Before
 * the other side's turn the engine is left to finish what it computes in the background.
 */
async function replayModel(
    context: BenchContext,
    model: string,
    replay: readonly ReplayPosition[],
    reasons: string[]
): Promise<ModelReplay> {
    const { options, log } = context;
    const shared = model === options.model;
    const adapter = shared
        ? await context.engine()
        : await EngineAdapter.start(options.engine, model, options.threads);
    let server: LlamaServerProcess | undefined;
    try {
        let client: LlamaServerClient | undefined;
        if (options.llamaServerBin) {
            server = await startLlamaServer(options.llamaServerBin, model, options.threads);
            client = new LlamaServerClient(server.url);
        } else if (options.llamaServer && shared) {
            client = new LlamaServerClient(options.llamaServer);
            await client.checkHealth();
        }
        if (!adapter.hasCompletion)
            reasons.push(
                `Apprentice: ${NOT_PRESENT} (no inlineCompletionProvider in its initialize result)`
            );
        if (!client)
            reasons.push(
                `llama-server for ${path.basename(model)}: not given (--llama-server URL or --llama-server-bin FILE)`
            );
        log(
            `  ${path.basename(model)}: ${replay.length} positions × ${options.chars} characters, Apprentice${client ? ` and llama-server ${client.baseUrl}, alternating` : ""}`
        );
        const result: ModelReplay = {
            model,
            serverArgs: server?.args,
            loadAvg: { start: loadAvg(), end: [] }
        };
        for (const position of replay) {
            if (adapter.hasCompletion) {
                const samples = await replayEngine(
                    adapter,
                    [position],
                    options.maxTokens,
                    undefined,
                    options.restMs
                );
                (result.mine ??= []).push(
                    ...samples.map((x) => ({ ...x, position: replay.indexOf(position) }))
                );
                await waitForIdle(adapter.pid);
            }
            if (client) {
                const samples = await replayServer(
                    client,
                    [position],
                    options.maxTokens,
                    options.restMs
                );
                (result.theirs ??= []).push(
                    ...samples.map((x) => ({ ...x, position: replay.indexOf(position) }))
                );
            }
        }
        result.loadAvg.end = loadAvg();
        return result;
    } finally {
        await server?.dispose();
        if (!shared) await adapter.shutdown();
    }
}

export const replaySuite: Suite = {
    id: "replay",
    title: "Typing replay (inline completion)",
    async run(context) {
        const { options, positions } = context;
        const replay = positions();
        if (replay.length === 0)
            return skipped("no source files of 500-2000 lines were found under node_modules");
        const reasons: string[] = [];
        const runs: ModelReplay[] = [];
        for (const model of options.replayModels)
            runs.push(await replayModel(context, model, replay, reasons));
        if (runs.every((r) => !r.mine && !r.theirs)) return skipped(reasons.join("; "));
        const figures: Record<string, number> = {};
        const tables: Table[] = [];
        const latency: LatencySeries[] = [];
        const files = [...new Set(replay.map((p) => p.file.name))];
        for (const [index, run] of runs.entries()) {
            const { mine, theirs } = run;
            // The first model keeps the figure names of a one-model run; the others get a model suffix.
            const suffix = index === 0 ? "" : `_${path.basename(run.model, ".gguf")}`;
            const heading = runs.length > 1 ? `${path.basename(run.model)}: ` : "";
            const a = mine ? splitColdWarm(mine) : undefined;
            const s = theirs ? splitColdWarm(theirs) : undefined;
            if (mine) Object.assign(figures, suffixed(replayFigures("apprentice", mine), suffix));
            if (theirs)
                Object.assign(figures, suffixed(replayFigures("llamaServer", theirs), suffix));
            const drafted = mine ? mine.reduce((n, x) => n + (x.drafted ?? 0), 0) : 0;
            const accepted = mine ? mine.reduce((n, x) => n + (x.accepted ?? 0), 0) : 0;
            if (mine)
                Object.assign(
                    figures,
                    suffixed(
                        {
                            apprenticeDraftedTokens: drafted,
                            apprenticeAcceptedDraftTokens: accepted,
                            apprenticeDraftAcceptanceRate: drafted > 0 ? accepted / drafted : NaN
                        },
                        suffix
                    )
                );
            const load = `load average ${run.loadAvg.start.join(" ")} → ${run.loadAvg.end.join(" ")}`;
            const cold = replayTable("cold", a?.cold, s?.cold, options.restMs);
            const warm = replayTable("warm", a?.warm, s?.warm, options.restMs);
            tables.push({
                ...cold,
                title: `${heading}${cold.title}`,
                note: `Measured alternately, position by position, ${load}.`
            });
            tables.push({ ...warm, title: `${heading}${warm.title}` });
            const work = (name: string, samples: KeystrokeSample[]) => {
                const warmOnes = samples.filter((x) => x.keystroke > 1);
                const coldOnes = samples.filter((x) => x.keystroke === 1);
                return [
                    name,
                    fmt(mean(coldOnes.map((x) => x.evaluated)), 0),
                    fmt(mean(warmOnes.map((x) => x.evaluated)), 0),
                    fmt(mean(warmOnes.map((x) => x.reused)), 0),
                    fmt(mean(coldOnes.map((x) => x.generated)), 1),
                    fmt(mean(warmOnes.map((x) => x.generated)), 1)
                ];
            };
            tables.push({
                title: `${heading}Tokens per keystroke (budget ${options.maxTokens} generated tokens on both sides)`,
                columns: [
                    "engine",
                    "cold: prompt tokens evaluated",
                    "warm: prompt tokens evaluated",
                    "warm: reused from cache",
                    "cold: generated",
                    "warm: generated"
                ],
                rows: [
                    ...(mine ? [work("Apprentice", mine)] : []),
                    ...(theirs ? [work("llama-server", theirs)] : [])
                ],
                note: `Files: ${files.join(", ")}.${mine ? ` Draft-and-verify: ${drafted} draft tokens verified, ${accepted} accepted (${drafted > 0 ? Math.round((100 * accepted) / drafted) : 0}%), ${fmt(accepted / Math.max(1, mine.length), 1)} per keystroke.` : ""}${run.serverArgs ? ` llama-server ${serverArgsNote(run.serverArgs)}.` : ""}`
            });
            const label = runs.length > 1 ? ` (${path.basename(run.model, ".gguf")})` : "";
            if (a)
                latency.push(
                    { label: `Apprentice cold${label}`, values: a.cold },
                    { label: `Apprentice warm${label}`, values: a.warm }
                );
            if (s)
                latency.push(
                    { label: `llama-server cold${label}`, values: s.cold },
                    { label: `llama-server warm${label}`, values: s.warm }
                );
        }
        const samples = Object.fromEntries(
            runs.map((r) => [
                path.basename(r.model),
                { apprentice: r.mine, llamaServer: r.theirs, loadAvg: r.loadAvg }
            ])
        );
        return {
            status: "ok",
            reason: reasons.join("; ") || undefined,
            figures,
            tables,
            latency,
            samples
        };
    }
};

function suffixed(figures: Record<string, number>, suffix: string): Record<string, number> {
    return Object.fromEntries(Object.entries(figures).map(([k, v]) => [`${k}${suffix}`, v]));
}

/** The server's command line for the report: without host and port, the model by file name. */
function serverArgsNote(args: readonly string[]): string {
    const shown: string[] = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--host" || args[i] === "--port") {
            i++;
            continue;
        }
        shown.push(args[i]!.endsWith(".gguf") ? path.basename(args[i]!) : args[i]!);
    }
    return shown.join(" ");
}
