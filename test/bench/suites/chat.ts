/** Time to first token and tokens per second of a fixed chat turn: engine vs node-llama-cpp directly, alternating. */
import { performance } from "node:perf_hooks";
import { directLlama } from "../direct";
import { NOT_PRESENT, type ChatSample } from "../engineAdapter";
import { fmt, fmtRatio, median, ratio } from "../stats";
import { skipped, type Suite } from "../suite";

export const CHAT_QUESTION = "Explain what this function does and suggest a better name:\n\nfunction f(xs) { return xs.filter((x) => x % 2 === 0).map((x) => x * x); }";
const CHAT_TOKENS = 48;

export const chatSuite: Suite = {
    id: "chat",
    title: "Chat (time to first token, tokens per second)",
    async run({ options, engine, log }) {
        const adapter = await engine();
        if (!adapter.hasChat) return skipped(`${NOT_PRESENT}: apprentice/chat/send is unknown to it`);
        const { LlamaChatSession } = await import("node-llama-cpp");
        const llama = await directLlama();
        const model = await llama.loadModel({ modelPath: options.model, gpuLayers: 0 });
        const context = await model.createContext({ contextSize: 2048, sequences: 1, threads: options.threads });
        const direct: ChatSample[] = [];
        const viaEngine: ChatSample[] = [];
        try {
            for (let round = 0; round < options.rounds; round++) {
                const sequence = context.getSequence();
                await sequence.clearHistory();
                const session = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
                const started = performance.now();
                let first = NaN;
                let tokens = 0;
                await session.prompt(CHAT_QUESTION, { maxTokens: CHAT_TOKENS, temperature: 0, onToken: (t) => { if (Number.isNaN(first)) first = performance.now(); tokens += t.length; } });
                const totalMs = performance.now() - started;
                direct.push({ ttftMs: first - started, totalMs, generatedTokens: tokens, tokensPerSecond: (tokens - 1) / ((totalMs - (first - started)) / 1000) });
                session.dispose({ disposeSequence: true });
                viaEngine.push(await adapter.chat(CHAT_QUESTION, CHAT_TOKENS));
                log(`  round ${round + 1}: direct TTFT ${direct.at(-1)!.ttftMs.toFixed(0)} ms, engine TTFT ${viaEngine.at(-1)!.ttftMs.toFixed(0)} ms`);
            }
        } finally {
            await context.dispose();
            await model.dispose();
        }
        const m = (xs: ChatSample[], k: keyof ChatSample) => median(xs.map((x) => x[k]));
        const figures = {
            engineTtftMs: m(viaEngine, "ttftMs"), directTtftMs: m(direct, "ttftMs"), ttftRatio: ratio(m(viaEngine, "ttftMs"), m(direct, "ttftMs")),
            engineTokensPerSecond: m(viaEngine, "tokensPerSecond"), directTokensPerSecond: m(direct, "tokensPerSecond"),
            tokensPerSecondRatio: ratio(m(viaEngine, "tokensPerSecond"), m(direct, "tokensPerSecond"))
        };
        return {
            status: "ok",
            figures,
            samples: { direct, engine: viaEngine },
            tables: [{
                title: `One chat turn, ${CHAT_TOKENS} tokens at most (median of ${options.rounds}, alternating)`,
                columns: ["measure", "engine", "direct", "engine / direct"],
                rows: [
                    ["time to first token (ms)", fmt(figures.engineTtftMs, 0), fmt(figures.directTtftMs, 0), fmtRatio(figures.ttftRatio)],
                    ["tokens per second", fmt(figures.engineTokensPerSecond, 1), fmt(figures.directTokensPerSecond, 1), fmtRatio(figures.tokensPerSecondRatio)]
                ],
                note: "Both use the model's chat template; the engine adds its system prompt, so its prompt is longer."
            }]
        };
    }
};
