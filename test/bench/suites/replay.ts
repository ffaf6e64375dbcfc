/** Typing replay through the engine's inline completion and, when given, a llama.cpp server's /infill: side by side. */
import { NOT_PRESENT, type EngineAdapter } from "../engineAdapter";
import { LlamaServerClient } from "../llamaServer";
import { documentBeforeTyping, type KeystrokeSample, type ReplayPosition } from "../replay";
import type { Table } from "../results";
import { fmt, fmtRatio, mean, ratio, summarize } from "../stats";
import { skipped, type Suite } from "../suite";

export const REPLAY_URI = "file:///bench/replay.ts";

/** Replays every position through the engine: reset the document, then per keystroke a change and a completion request. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Replays every position through the engine: reset the document, then per keystroke a change and a
 * completion request. With `restMs`, the cursor first rests at the position that long (the editor
 * sends a prefetch, as after a click).
 */
export async function replayEngine(engine: EngineAdapter, positions: readonly ReplayPosition[], maxTokens: number, onSample?: (s: KeystrokeSample) => void, restMs = 0): Promise<KeystrokeSample[]> {
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
            const sample = { position: index, keystroke: k, wallMs: r.wallMs, evaluated: r.evaluated, reused: r.reused, generated: r.generated, drafted: r.drafted, accepted: r.accepted };
            samples.push(sample);
            onSample?.(sample);
        }
    }
    if (opened) await engine.closeDocument(REPLAY_URI);
    return samples;
}

async function replayServer(client: LlamaServerClient, positions: readonly ReplayPosition[], maxTokens: number, restMs = 0): Promise<KeystrokeSample[]> {
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

export function splitColdWarm(samples: readonly KeystrokeSample[]): { cold: number[]; warm: number[]; warmEvaluated: number[] } {
    const cold = samples.filter((s) => s.keystroke === 1);
    const warm = samples.filter((s) => s.keystroke > 1);
    return { cold: cold.map((s) => s.wallMs), warm: warm.map((s) => s.wallMs), warmEvaluated: warm.map((s) => s.evaluated) };
}

/** Percentile table of one or two engines; the ratio column appears when both ran. */
export function replayTable(kind: "cold" | "warm", apprentice: number[] | undefined, server: number[] | undefined, restMs = 0): Table {
    const restNote = restMs > 0 && kind === "cold" ? `, after the cursor rested ${restMs} ms at the position` : "";
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
    return { title: `${kind === "cold" ? "Cold (first keystroke at a position)" : "Warm (following keystrokes)"}: n = ${a?.n ?? s?.n ?? 0}${restNote}`, columns, rows };
}

export const replaySuite: Suite = {
    id: "replay",
    title: "Typing replay (inline completion)",
    async run({ options, engine, positions, log }) {
        const replay = positions();
        if (replay.length === 0) return skipped("no source files of 500-2000 lines were found under node_modules");
        const adapter = await engine();
        const reasons: string[] = [];
        let mine: KeystrokeSample[] | undefined;
        if (adapter.hasCompletion) {
            log(`  Apprentice: ${replay.length} positions × ${options.chars} characters`);
            mine = await replayEngine(adapter, replay, options.maxTokens, undefined, options.restMs);
        } else {
            reasons.push(`Apprentice: ${NOT_PRESENT} (no inlineCompletionProvider in its initialize result)`);
        }
        let theirs: KeystrokeSample[] | undefined;
        if (options.llamaServer) {
            const client = new LlamaServerClient(options.llamaServer);
            await client.checkHealth();
            log(`  llama-server ${options.llamaServer}: same positions`);
            theirs = await replayServer(client, replay, options.maxTokens, options.restMs);
        } else {
            reasons.push("llama-server: not given (--llama-server URL); none can be built or installed on this machine");
        }
        if (!mine && !theirs) return skipped(reasons.join("; "));
        const a = mine ? splitColdWarm(mine) : undefined;
        const s = theirs ? splitColdWarm(theirs) : undefined;
        const figures: Record<string, number> = {};
        for (const [name, split] of [["apprentice", a], ["llamaServer", s]] as const) {
            if (!split) continue;
            const cold = summarize(split.cold);
            const warm = summarize(split.warm);
            Object.assign(figures, {
                [`${name}ColdP50`]: cold.p50, [`${name}ColdP90`]: cold.p90, [`${name}ColdP95`]: cold.p95, [`${name}ColdMax`]: cold.max,
                [`${name}WarmP50`]: warm.p50, [`${name}WarmP90`]: warm.p90, [`${name}WarmP95`]: warm.p95, [`${name}WarmMax`]: warm.max,
                [`${name}WarmMeanEvaluatedTokens`]: mean(split.warmEvaluated)
            });
        }
        const drafted = mine ? mine.reduce((n, x) => n + (x.drafted ?? 0), 0) : 0;
        const accepted = mine ? mine.reduce((n, x) => n + (x.accepted ?? 0), 0) : 0;
        if (mine) Object.assign(figures, { apprenticeDraftedTokens: drafted, apprenticeAcceptedDraftTokens: accepted });
        const files = [...new Set(replay.map((p) => p.file.name))];
        const tables: Table[] = [
            replayTable("cold", a?.cold, s?.cold, options.restMs),
            replayTable("warm", a?.warm, s?.warm, options.restMs),
            {
                title: "Prompt work per warm keystroke",
                columns: ["engine", "mean prompt tokens evaluated", "mean reused from cache", "mean generated"],
                rows: [
                    ...(mine ? [["Apprentice", fmt(mean(a!.warmEvaluated), 0), fmt(mean(mine.filter((x) => x.keystroke > 1).map((x) => x.reused)), 0), fmt(mean(mine.map((x) => x.generated)), 1)]] : []),
                    ...(theirs ? [["llama-server", fmt(mean(s!.warmEvaluated), 0), fmt(mean(theirs.filter((x) => x.keystroke > 1).map((x) => x.reused)), 0), fmt(mean(theirs.map((x) => x.generated)), 1)]] : [])
                ],
                note: `Files: ${files.join(", ")}.${mine ? ` Draft-and-verify: ${drafted} draft tokens verified, ${accepted} accepted (${drafted > 0 ? Math.round(100 * accepted / drafted) : 0}%), ${fmt(accepted / Math.max(1, mine.length), 1)} per keystroke.` : ""}`
            }
        ];
        const latency = [
            ...(a ? [{ label: "Apprentice cold", values: a.cold }, { label: "Apprentice warm", values: a.warm }] : []),
            ...(s ? [{ label: "llama-server cold", values: s.cold }, { label: "llama-server warm", values: s.warm }] : [])
        ];
        return { status: "ok", reason: reasons.join("; ") || undefined, figures, tables, latency, samples: { apprentice: mine, llamaServer: theirs } };
    }
};
