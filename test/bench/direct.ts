/** node-llama-cpp used directly in this process: the baseline the engine is compared with. */
import { performance } from "node:perf_hooks";
import type { Llama, LlamaModel, Token } from "node-llama-cpp";

let llamaPromise: Promise<Llama> | undefined;

/** The CPU backend, loaded once (dynamic import: node-llama-cpp is an ES module). */
export function directLlama(): Promise<Llama> {
    llamaPromise ??= import("node-llama-cpp").then(({ getLlama, LlamaLogLevel }) =>
        getLlama({
            gpu: false,
            build: "never",
            skipDownload: true,
            progressLogs: false,
            logLevel: LlamaLogLevel.error
        })
    );
    return llamaPromise;
}

export async function disposeDirectLlama(): Promise<void> {
    const pending = llamaPromise;
    llamaPromise = undefined;
    if (pending) await (await pending).dispose();
}

export async function loadModelTimed(
    modelPath: string
): Promise<{ model: LlamaModel; loadMs: number }> {
    const llama = await directLlama();
    const started = performance.now();
    const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
    return { model, loadMs: performance.now() - started };
}

export interface SpeedSample {
    threads: number;
    promptTokens: number;
    promptMs: number;
    promptTokensPerSecond: number;
    generatedTokens: number;
    generateMs: number;
    generateTokensPerSecond: number;
}

/**
 * Prompt evaluation and generation speed on a fresh context with the given threads: evaluates
 * `prompt` (all but its last token), then generates `generate` tokens greedily after its last
 * token on an empty context (short context: the speed a keystroke sees). Each phase stops at
 * `budgetMs`; the rate is computed from what was done.
 */
export async function measureSpeed(
    model: LlamaModel,
    threads: number,
    prompt: readonly Token[],
    generate: number,
    budgetMs = 15_000
): Promise<SpeedSample> {
    const context = await model.createContext({
        contextSize: Math.max(512, 2 ** Math.ceil(Math.log2(prompt.length + generate + 8))),
        sequences: 1,
        threads
    });
    try {
        const sequence = context.getSequence();
        const head = prompt.slice(0, -1) as Token[];
        // In batches, so that a starved thread count stops at the time budget instead of running for minutes.
        let started = performance.now();
        let evaluated = 0;
        while (evaluated < head.length && performance.now() - started < budgetMs) {
            const batch = head.slice(evaluated, evaluated + 16);
            await sequence.evaluateWithoutGeneratingNewTokens(batch);
            evaluated += batch.length;
        }
        const promptMs = performance.now() - started;
        await sequence.clearHistory();
        started = performance.now();
        let generated = 0;
        for await (const _token of sequence.evaluate([prompt[prompt.length - 1]!], {
            temperature: 0
        })) {
            if (++generated >= generate || performance.now() - started > budgetMs) break;
        }
        const generateMs = performance.now() - started;
        return {
            threads,
            promptTokens: evaluated,
            promptMs,
            promptTokensPerSecond: evaluated / (promptMs / 1000),
            generatedTokens: generated,
            generateMs,
            generateTokensPerSecond: generated / (generateMs / 1000)
        };
    } finally {
        await context.dispose();
    }
}
