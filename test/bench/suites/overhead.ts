/** The same FIM prompt and generation length through node-llama-cpp in this process and through the engine over JSON-RPC, alternating. */
import { performance } from "node:perf_hooks";
import { directLlama } from "../direct";
import { NOT_PRESENT } from "../engineAdapter";
import { windowAt } from "../replay";
import { engineVsDirect, engineVsDirectRow } from "../stats";
import { skipped, type Suite } from "../suite";

const URI = "file:///bench/overhead.ts";

export const overheadSuite: Suite = {
    id: "overhead",
    title: "Engine overhead (FIM through JSON-RPC vs node-llama-cpp directly)",
    async run({ options, engine, positions, log }) {
        const adapter = await engine();
        if (!adapter.hasCompletion) return skipped(`${NOT_PRESENT}: no inlineCompletionProvider`);
        const position = positions()[0];
        if (!position) return skipped("no replay source files");
        const { LlamaCompletion } = await import("node-llama-cpp");
        const llama = await directLlama();
        const model = await llama.loadModel({ modelPath: options.model, gpuLayers: 0 });
        const context = await model.createContext({
            contextSize: 4096,
            sequences: 1,
            threads: options.threads
        });
        const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
        const w = windowAt(position, position.typed.length);
        const direct: { ms: number; tokens: number }[] = [];
        const viaEngine: { ms: number; tokens: number }[] = [];
        try {
            for (let round = 0; round < options.rounds * 2; round++) {
                // A different last character each round: no answer cache can serve it, the KV prefix still can.
                const typed = `${w.prompt}${String.fromCharCode(97 + (round % 26))}`;
                if (round === 0) await adapter.openDocument(URI, w.prefix + typed + w.suffix);
                else await adapter.replaceDocument(URI, w.prefix + typed + w.suffix);
                const lines = (w.prefix + typed).split("\n");
                const r = await adapter.complete(
                    URI,
                    lines.length - 1,
                    lines[lines.length - 1]!.length,
                    options.maxTokens,
                    false
                );
                viaEngine.push({ ms: r.wallMs, tokens: r.generated });
                // The same amount of work directly: a FIM prompt of the engine's prompt length (3/4 prefix,
                // 1/4 suffix, cut at the cursor's side) and exactly as many generated tokens.
                const budget = Number.isFinite(r.promptTokens) ? r.promptTokens : 640;
                const prefixTokens = model.tokenize(w.prefix + typed);
                const suffixTokens = model.tokenize(w.suffix);
                const keepSuffix = Math.min(suffixTokens.length, Math.floor(budget / 4));
                const prefix = prefixTokens.slice(
                    Math.max(0, prefixTokens.length - (budget - keepSuffix))
                );
                const generate = Math.max(
                    1,
                    Number.isFinite(r.generated) ? r.generated : options.maxTokens
                );
                let tokens = 0;
                const started = performance.now();
                await completion.generateInfillCompletion(
                    prefix,
                    suffixTokens.slice(0, keepSuffix),
                    {
                        maxTokens: generate,
                        temperature: 0,
                        onToken: (t) => {
                            tokens += t.length;
                        }
                    }
                );
                direct.push({ ms: performance.now() - started, tokens });
                log(
                    `  round ${round + 1}: engine ${r.wallMs.toFixed(0)} ms (${budget} prompt tokens, ${r.generated} generated), direct ${direct.at(-1)!.ms.toFixed(0)} ms`
                );
            }
        } finally {
            await adapter.closeDocument(URI);
            await context.dispose();
            await model.dispose();
        }
        const tps = (xs: { ms: number; tokens: number }[]) =>
            xs.map((x) => x.tokens / (x.ms / 1000));
        const figures = {
            ...engineVsDirect(
                "Ms",
                viaEngine.map((x) => x.ms),
                direct.map((x) => x.ms)
            ),
            ...engineVsDirect("TokensPerSecond", tps(viaEngine), tps(direct))
        };
        return {
            status: "ok",
            figures,
            samples: { direct, engine: viaEngine },
            tables: [
                {
                    title: `One FIM request, ${options.maxTokens} tokens at most (median of ${direct.length}, alternating)`,
                    columns: ["measure", "engine", "direct", "engine / direct"],
                    rows: [
                        engineVsDirectRow("latency (ms)", figures, "Ms"),
                        engineVsDirectRow("end-to-end tok/s", figures, "TokensPerSecond", 1)
                    ],
                    note: "Each round the engine answers first; the direct run then gets a FIM prompt of the same token count from the same window and generates exactly as many tokens. Both reuse their KV cache between rounds."
                }
            ]
        };
    }
};
