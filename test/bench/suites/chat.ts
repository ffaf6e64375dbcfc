/** Time to first token and tokens per second of a fixed chat turn: engine vs node-llama-cpp directly, alternating. */
import { performance } from "node:perf_hooks";
import { directLlama } from "../direct";
import { NOT_PRESENT, type ChatSample } from "../engineAdapter";
import { engineVsDirect, engineVsDirectRow } from "../stats";
import { skipped, type Suite } from "../suite";

export const CHAT_QUESTION =
    "Explain what this function does and suggest a better name:\n\nfunction f(xs) { return xs.filter((x) => x % 2 === 0).map((x) => x * x); }";
const CHAT_TOKENS = 48;

export const chatSuite: Suite = {
    id: "chat",
    title: "Chat (time to first token, tokens per second)",
    async run({ options, engine, log }) {
        const adapter = await engine();
        if (!adapter.hasChat)
            return skipped(`${NOT_PRESENT}: apprentice/chat/send is unknown to it`);
        const { LlamaChatSession } = await import("node-llama-cpp");
        const llama = await directLlama();
        const model = await llama.loadModel({ modelPath: options.model, gpuLayers: 0 });
        const context = await model.createContext({
            contextSize: 2048,
            sequences: 1,
            threads: options.threads
        });
        const sequence = context.getSequence();
        const direct: ChatSample[] = [];
        const viaEngine: ChatSample[] = [];
        // As in the editor, where the chat view is open before the first question; the direct side
        // likewise resolves its chat format when the session is created, before its clock starts.
        await adapter.prepareChat();
        try {
            for (let round = 0; round < options.rounds; round++) {
                // The same sequence each round, like the engine's chat sequence: a repeated turn may reuse its KV cache.
                const session = new LlamaChatSession({
                    contextSequence: sequence,
                    autoDisposeSequence: false
                });
                const started = performance.now();
                let first = NaN;
                let tokens = 0;
                await session.prompt(CHAT_QUESTION, {
                    maxTokens: CHAT_TOKENS,
                    temperature: 0,
                    onToken: (t) => {
                        if (Number.isNaN(first)) first = performance.now();
                        tokens += t.length;
                    }
                });
                const totalMs = performance.now() - started;
                direct.push({
                    ttftMs: first - started,
                    totalMs,
                    generatedTokens: tokens,
                    tokensPerSecond: (tokens - 1) / ((totalMs - (first - started)) / 1000)
                });
                session.dispose({ disposeSequence: false });
                viaEngine.push(await adapter.chat(CHAT_QUESTION, CHAT_TOKENS));
                log(
                    `  round ${round + 1}: direct TTFT ${direct.at(-1)!.ttftMs.toFixed(0)} ms, engine TTFT ${viaEngine.at(-1)!.ttftMs.toFixed(0)} ms`
                );
            }
        } finally {
            await context.dispose();
            await model.dispose();
        }
        const pick = (xs: ChatSample[], k: keyof ChatSample, from: number) =>
            xs.slice(from, from === 0 ? 1 : undefined).map((x) => x[k]);
        const figures = {
            ...engineVsDirect(
                "FirstTurnTtftMs",
                pick(viaEngine, "ttftMs", 0),
                pick(direct, "ttftMs", 0)
            ),
            ...engineVsDirect(
                "RepeatedTurnTtftMs",
                pick(viaEngine, "ttftMs", 1),
                pick(direct, "ttftMs", 1)
            ),
            ...engineVsDirect(
                "TokensPerSecond",
                viaEngine.map((x) => x.tokensPerSecond),
                direct.map((x) => x.tokensPerSecond)
            )
        };
        return {
            status: "ok",
            figures,
            samples: { direct, engine: viaEngine },
            tables: [
                {
                    title: `One chat turn, ${CHAT_TOKENS} tokens at most (median of ${options.rounds}, alternating)`,
                    columns: ["measure", "engine", "direct", "engine / direct"],
                    rows: [
                        engineVsDirectRow(
                            "time to first token, first turn (ms)",
                            figures,
                            "FirstTurnTtftMs"
                        ),
                        engineVsDirectRow(
                            "time to first token, same turn again (ms, median)",
                            figures,
                            "RepeatedTurnTtftMs"
                        ),
                        engineVsDirectRow("tokens per second", figures, "TokensPerSecond", 1)
                    ],
                    note: "Both use the model's chat template and a short system prompt. Both work out the chat format before the clock starts (the engine on apprentice/chat/prepare, sent when the chat view is shown). Both keep their sequence between rounds, so a repeated turn may reuse the KV cache."
                }
            ]
        };
    }
};
