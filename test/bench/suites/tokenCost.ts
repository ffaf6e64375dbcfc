/**
 * Where the time of a generated token goes: the engine's completion generation (CompletionSession,
 * the code the engine runs: stop checks, detokenizing, confidence, draft-and-verify policy) against
 * node-llama-cpp alone on the same prompt, plain greedy `evaluate` and `evaluateWithMetadata` with the
 * token's confidence (what the engine's confidence filter needs), alternating, in this process. The
 * engine runs twice: with the confidence filter on (it asks for each token's probability; compare
 * with node-llama-cpp with confidence) and off (it does not; compare with plain `evaluate`), each on
 * a session of its own, so that the draft policy of one does not learn from the other's steps.
 * CPU time per token (user + system of this process; the model runs on `--threads`) is the figure
 * that a loaded machine disturbs least; wall time is shown beside it.
 */
import { performance } from "node:perf_hooks";
import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { buildPrompt } from "../../../src/engine/completion/promptBuilder";
import { CompletionSession } from "../../../src/engine/completion/session";
import { readFimFormat } from "../../../src/engine/fim/fimTokens";
import { SequenceScheduler } from "../../../src/engine/modelHost/sequenceScheduler";
import { directLlama } from "../direct";
import { loadAvg } from "../machine";
import type { Table } from "../results";
import { fmt, fmtRatio, median } from "../stats";
import { skipped, type Suite } from "../suite";

/** Tokens generated per measurement (the engine's default maxTokens). */
const TOKENS = 64;

type Variant = "plain" | "confidence" | "engine" | "engineNoFilter";
const VARIANTS: readonly Variant[] = ["plain", "confidence", "engine", "engineNoFilter"];

interface Cost {
    cpuMs: number;
    wallMs: number;
    tokens: number;
    /** The engine's draft-and-verify: draft tokens verified, and accepted. */
    drafted?: number;
    accepted?: number;
}

async function prefill(sequence: LlamaContextSequence, prompt: readonly Token[]): Promise<void> {
    await sequence.clearHistory();
    await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1) as Token[]);
}

/** node-llama-cpp alone: from the prompt's last token, `TOKENS` greedy tokens (with or without their confidence). */
async function library(
    sequence: LlamaContextSequence,
    prompt: readonly Token[],
    confidence: boolean
): Promise<Cost> {
    await prefill(sequence, prompt);
    const last = prompt[prompt.length - 1]!;
    const cpu = process.cpuUsage();
    const started = performance.now();
    let tokens = 0;
    const iterator = confidence
        ? sequence.evaluateWithMetadata([last], { confidence: true }, { temperature: 0 })
        : sequence.evaluate([last], { temperature: 0 });
    for await (const _ of iterator) if (++tokens >= TOKENS) break;
    const used = process.cpuUsage(cpu);
    return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started, tokens };
}

/** The engine's generation on the same prompt: the KV cache holds all but its last token, as on a warm keystroke. */
async function engine(
    session: CompletionSession,
    sequence: LlamaContextSequence,
    prompt: readonly Token[],
    stopTokens: ReadonlySet<Token>,
    confidence: boolean
): Promise<Cost> {
    await prefill(sequence, prompt);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const g = await session.generate(prompt.slice() as Token[], {
        maxTokens: TOKENS,
        shouldStop: () => false,
        stopTokens,
        temperature: 0,
        signal: new AbortController().signal,
        timeAfterFirstLineMs: Number.POSITIVE_INFINITY,
        confidence
    });
    const used = process.cpuUsage(cpu);
    return {
        cpuMs: (used.user + used.system) / 1000,
        wallMs: performance.now() - started,
        tokens: g.generatedTokens,
        drafted: g.draftedTokens,
        accepted: g.acceptedDraftTokens
    };
}

export const tokenCostSuite: Suite = {
    id: "tokens",
    title: "Cost of a generated token: the engine's generation vs node-llama-cpp alone",
    async run({ options, positions, log }) {
        const replay = positions();
        if (replay.length === 0) return skipped("no replay source files");
        const llama = await directLlama();
        const model: LlamaModel = await llama.loadModel({ modelPath: options.model, gpuLayers: 0 });
        const format = readFimFormat(model);
        if (!format) {
            await model.dispose();
            return skipped("the model has no FIM tokens");
        }
        const contexts = await Promise.all(
            [0, 1, 2].map(() =>
                model.createContext({ contextSize: 2048, sequences: 1, threads: options.threads })
            )
        );
        const [direct, own, ownNoFilter] = contexts.map((c) => c.getSequence()) as [
            LlamaContextSequence,
            LlamaContextSequence,
            LlamaContextSequence
        ];
        const session = new CompletionSession(own, new SequenceScheduler(), model);
        const sessionNoFilter = new CompletionSession(ownNoFilter, new SequenceScheduler(), model);
        const costs: Record<Variant, Cost[]> = {
            plain: [],
            confidence: [],
            engine: [],
            engineNoFilter: []
        };
        const loadStart = loadAvg();
        try {
            const rounds = options.rounds * 2;
            for (let round = 0; round < rounds; round++) {
                // A different place each round, so neither side replays an earlier answer (drafts of typing along).
                const position = replay[round % replay.length]!;
                const lines = position.file.lines;
                const at = Math.min(
                    lines.length - 1,
                    position.line + Math.floor(round / replay.length) * 7
                );
                const prompt = buildPrompt(model, format, {
                    prefix: lines.slice(Math.max(0, at - 200), at).join("\n") + "\n",
                    suffix: lines.slice(at, at + 40).join("\n"),
                    path: position.file.name,
                    chunks: [],
                    budget: 640
                }).tokens;
                const order = round % 2 === 0 ? VARIANTS : VARIANTS.toReversed();
                for (const variant of order) {
                    costs[variant].push(
                        variant === "engine"
                            ? await engine(session, own, prompt, new Set(), true)
                            : variant === "engineNoFilter"
                              ? await engine(sessionNoFilter, ownNoFilter, prompt, new Set(), false)
                              : await library(direct, prompt, variant === "confidence")
                    );
                }
                const drafts = (v: Variant) =>
                    `${costs[v].at(-1)!.accepted}/${costs[v].at(-1)!.drafted}`;
                const perToken = (v: Variant) =>
                    fmt(costs[v].at(-1)!.cpuMs / costs[v].at(-1)!.tokens, 2);
                log(
                    `  round ${round + 1}: CPU ms/token plain ${perToken("plain")}, with confidence ${perToken("confidence")}, engine ${perToken("engine")}, engine without filter ${perToken("engineNoFilter")}; drafts accepted/verified ${drafts("engine")}, ${drafts("engineNoFilter")} (load average ${loadAvg().join(" ")})`
                );
            }
        } finally {
            for (const c of contexts) await c.dispose();
            await model.dispose();
        }
        const per = (v: Variant, key: "cpuMs" | "wallMs") =>
            median(costs[v].map((c) => c[key] / Math.max(1, c.tokens)));
        const figures: Record<string, number> = {};
        for (const v of VARIANTS) {
            figures[`${v}CpuMsPerToken`] = per(v, "cpuMs");
            figures[`${v}WallMsPerToken`] = per(v, "wallMs");
        }
        // Speed ratios (above 1: the engine is faster): node-llama-cpp's time per token / the engine's.
        figures.engineSpeedVsPlainCpu = figures.plainCpuMsPerToken! / figures.engineCpuMsPerToken!;
        figures.engineSpeedVsConfidenceCpu =
            figures.confidenceCpuMsPerToken! / figures.engineCpuMsPerToken!;
        figures.engineNoFilterSpeedVsPlainCpu =
            figures.plainCpuMsPerToken! / figures.engineNoFilterCpuMsPerToken!;
        figures.confidenceSpeedVsPlainCpu =
            figures.plainCpuMsPerToken! / figures.confidenceCpuMsPerToken!;
        const row = (label: string, v: Variant): (string | number)[] => [
            label,
            fmt(figures[`${v}CpuMsPerToken`]!, 2),
            fmt(figures[`${v}WallMsPerToken`]!, 2),
            fmtRatio(figures.plainCpuMsPerToken! / figures[`${v}CpuMsPerToken`]!),
            fmtRatio(figures.plainWallMsPerToken! / figures[`${v}WallMsPerToken`]!)
        ];
        const tables: Table[] = [
            {
                title: `Per generated token, ${TOKENS} tokens after a 640-token FIM prompt held in the KV cache (median of ${costs.engine.length}, alternating)`,
                columns: [
                    "generation",
                    "CPU ms / token",
                    "wall ms / token",
                    "speed vs plain (CPU)",
                    "speed vs plain (wall)"
                ],
                rows: [
                    row("node-llama-cpp `evaluate`, greedy (plain)", "plain"),
                    row("node-llama-cpp `evaluateWithMetadata`, greedy + confidence", "confidence"),
                    row(
                        "the engine's CompletionSession, confidence filter on (stop checks, detokenizing, confidence, drafts)",
                        "engine"
                    ),
                    row(
                        "the engine's CompletionSession, confidence filter off (no probabilities)",
                        "engineNoFilter"
                    )
                ],
                note: `Engine speed against node-llama-cpp doing the same: filter on ${fmtRatio(figures.engineSpeedVsConfidenceCpu)} of \`evaluateWithMetadata\` with confidence, filter off ${fmtRatio(figures.engineNoFilterSpeedVsPlainCpu)} of plain \`evaluate\` (CPU). Load average ${loadStart.join(" ")} → ${loadAvg().join(" ")}.`
            }
        ];
        return { status: "ok", figures, tables, samples: costs };
    }
};
