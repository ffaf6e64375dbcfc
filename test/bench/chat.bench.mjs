// Chat benchmark (not part of `npm test`). Run: node scripts/build.mjs && node test/bench/chat.bench.mjs [model.gguf]
// Measures, in one run on the same model and threads:
//  1. the engine's chat over real JSON-RPC (apprentice/chat/send): time to first token, tokens/s;
//  2. node-llama-cpp's own LlamaChat on the same model, same prompt, same length: the same numbers;
//  3. inline-completion latency (LlamaCompletion on the completion sequence of a shared context,
//     the engine's layout) alone, and while a chat answer streams on the chat sequence.
// Env: THREADS (default 1), TURNS (default 3), MAX_TOKENS (default 128), APPRENTICE_MODELS_DIR.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import {
    getLlama,
    LlamaChat,
    LlamaCompletion,
    resolveChatWrapper,
    ChatMLChatWrapper
} from "node-llama-cpp";
import {
    createProtocolConnection,
    StreamMessageReader,
    StreamMessageWriter
} from "vscode-languageserver-protocol/node";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const modelsDir = process.env.APPRENTICE_MODELS_DIR ?? path.resolve(root, "..", "shared", "models");
const modelPath = path.resolve(process.argv[2] ?? path.join(modelsDir, "shape-135m-q8_0.gguf"));
const threads = Number(process.env.THREADS ?? 1);
const turns = Number(process.env.TURNS ?? 3);
const maxTokens = Number(process.env.MAX_TOKENS ?? 128);
const QUESTION =
    "Explain what this function does and suggest a better name:\n\n```js\nfunction f(a) { return a.filter((x) => x % 2 === 0).map((x) => x * x); }\n```";
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startEngine() {
    const child = spawn(process.execPath, [path.join(root, "dist/engine.js"), "--stdio"], {
        stdio: ["pipe", "pipe", "inherit"]
    });
    const connection = createProtocolConnection(
        new StreamMessageReader(child.stdout),
        new StreamMessageWriter(child.stdin)
    );
    let ready;
    const readyPromise = new Promise((resolve) => {
        ready = resolve;
    });
    connection.onNotification("apprentice/status", (s) => {
        if (s.state === "ready" || s.state === "error") ready(s);
    });
    const progress = new Map();
    connection.onNotification("apprentice/chat/progress", (p) => {
        progress.set(p.turnId, (progress.get(p.turnId) ?? 0) + 1);
    });
    connection.listen();
    const initResult = await connection.sendRequest("initialize", {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        initializationOptions: { settings: { modelPath, threads, gpu: "off" } }
    });
    await connection.sendNotification("initialized", {});
    const status = await readyPromise;
    if (status.state !== "ready") throw new Error(`engine: ${status.message}`);
    return {
        // A fresh single-turn conversation each time, like the direct runs.
        async turn(i) {
            const r = await connection.sendRequest("apprentice/chat/send", {
                turnId: `b${i}`,
                messages: [{ role: "user", text: `${QUESTION}\n(${i})` }],
                maxTokens
            });
            return {
                ttft: r.timings.timeToFirstTokenMs,
                tps: r.timings.tokensPerSecond,
                tokens: r.timings.generatedTokens,
                promptTokens: r.timings.promptTokens
            };
        },
        /** Inline completion through the engine (textDocument/inlineCompletion), alone and while a chat answer streams, alternating. */
        async completionAloneVsChat(n) {
            if (!initResult.capabilities.inlineCompletionProvider) return undefined;
            const code = Array.from(
                { length: 40 },
                (_, i) => `function step${i}(value) {\n    return value + ${i};\n}`
            ).join("\n");
            let version = 0;
            const complete = async (key) => {
                // A new document each time: no cache hit, the same amount of work alone and during chat.
                const uri = `file:///bench/chat-${key}.js`;
                const text = `// ${key}\n${code}\nfunction next_${key}(`;
                await connection.sendNotification("textDocument/didOpen", {
                    textDocument: { uri, languageId: "javascript", version: ++version, text }
                });
                const lines = text.split("\n");
                const started = performance.now();
                await connection.sendRequest("textDocument/inlineCompletion", {
                    textDocument: { uri },
                    position: { line: lines.length - 1, character: lines[lines.length - 1].length },
                    context: { triggerKind: 2 },
                    apprentice: { minConfidence: 0, maxTokens: 16 }
                });
                return performance.now() - started;
            };
            await complete("warm");
            const alone = [];
            const during = [];
            for (let i = 0; i < n; i++) {
                alone.push(await complete(`a${i}`));
                const turnId = `c${i}`;
                const answer = connection.sendRequest("apprentice/chat/send", {
                    turnId,
                    messages: [{ role: "user", text: QUESTION }],
                    maxTokens: 1024
                });
                while ((progress.get(turnId) ?? 0) < 3) await new Promise((r) => setTimeout(r, 5));
                during.push(await complete(`d${i}`));
                await connection.sendRequest("apprentice/chat/stop", { turnId });
                await answer;
            }
            return { alone, during };
        },
        async stop() {
            await connection.sendRequest("shutdown");
            await connection.sendNotification("exit");
            connection.dispose();
        }
    };
}

async function startDirect(model) {
    const context = await model.createContext({
        contextSize: Math.min(4096, model.trainContextSize),
        sequences: 2,
        threads
    });
    const sequence = context.getSequence();
    const hasTemplate = typeof model.fileInfo.metadata?.tokenizer?.chat_template === "string";
    const chat = new LlamaChat({
        contextSequence: sequence,
        chatWrapper: hasTemplate ? resolveChatWrapper(model) : new ChatMLChatWrapper()
    });
    return {
        async turn(i) {
            const history = [
                {
                    type: "system",
                    text: "You are Apprentice, a helpful coding assistant running locally. Answer concisely and use Markdown code blocks for code."
                },
                { type: "user", text: `${QUESTION}\n(${i})` },
                { type: "model", response: [] }
            ];
            const started = performance.now();
            let first;
            let tokens = 0;
            await chat.generateResponse(history, {
                maxTokens,
                onResponseChunk: (c) => {
                    tokens += c.tokens.length;
                    if (c.tokens.length) first ??= performance.now();
                }
            });
            const end = performance.now();
            return {
                ttft: Math.round(first - started),
                tps: (tokens - 1) / ((end - first) / 1000),
                tokens
            };
        },
        async stop() {
            chat.dispose();
            await context.dispose();
        }
    };
}

/** Batches only the highest-priority items: a chat at priority 1 waits while a completion (5) has tokens pending. */
function highestPriorityFirst({ items, size }) {
    const top = Math.max(...items.map((i) => i.evaluationPriority));
    let left = size;
    const out = [];
    for (const item of items) {
        if (item.evaluationPriority !== top || left <= 0) continue;
        const processAmount = Math.min(item.tokens.length, left);
        left -= processAmount;
        out.push({ item, processAmount });
    }
    return out;
}

async function completionLatency(model, prioritized) {
    // The engine's layout: one context, a completion sequence and a chat sequence.
    const context = await model.createContext({
        contextSize: Math.min(4096, model.trainContextSize),
        sequences: 2,
        threads,
        ...(prioritized ? { batching: { itemPrioritizationStrategy: highestPriorityFirst } } : {})
    });
    const completionSequence = context.getSequence();
    const chatSequence = context.getSequence();
    const completion = new LlamaCompletion({ contextSequence: completionSequence });
    const code = Array.from(
        { length: 40 },
        (_, i) => `function step${i}(value) {\n    return value + ${i};\n}`
    ).join("\n");
    const measure = async (n) => {
        const times = [];
        for (let i = 0; i < n; i++) {
            const started = performance.now();
            await completion.generateCompletion(`${code}\nfunction next${i}(`, { maxTokens: 16 });
            times.push(performance.now() - started);
        }
        return times;
    };
    await measure(1);
    const alone = await measure(5);
    const chat = new LlamaChat({
        contextSequence: chatSequence,
        chatWrapper: new ChatMLChatWrapper()
    });
    const abort = new AbortController();
    let chatTokens = 0;
    const chatRun = chat.generateResponse(
        [
            { type: "user", text: QUESTION },
            { type: "model", response: [] }
        ],
        {
            maxTokens: 100_000,
            signal: abort.signal,
            stopOnAbortSignal: true,
            evaluationPriority: prioritized ? 1 : 5,
            onResponseChunk: (c) => {
                chatTokens += c.tokens.length;
            }
        }
    );
    while (chatTokens < 5) await new Promise((r) => setTimeout(r, 5));
    const during = await measure(5);
    abort.abort();
    await chatRun;
    chat.dispose();
    await context.dispose();
    return { alone, during, chatTokens };
}

const llama = await getLlama({ gpu: false });
const model = await llama.loadModel({ modelPath });
console.log(
    `model ${path.basename(modelPath)}, threads ${threads}, ${turns} turns of at most ${maxTokens} tokens, cores ${(await import("node:os")).availableParallelism()}, load average ${(await import("node:os")).loadavg()[0].toFixed(2)}`
);
// Interleaved, one turn each in turn, so that the machine's load hits both alike; turn 0 warms up.
const engineRunner = await startEngine();
const directRunner = await startDirect(model);
const engine = [];
const direct = [];
for (let i = 0; i <= turns; i++) {
    const er = await engineRunner.turn(i);
    const dr = await directRunner.turn(i);
    if (i > 0) {
        engine.push(er);
        direct.push(dr);
    }
}
const viaEngine = await engineRunner.completionAloneVsChat(Number(process.env.COMPLETIONS ?? 5));
await engineRunner.stop();
await directRunner.stop();
const e = {
    ttft: median(engine.map((r) => r.ttft)),
    tps: median(engine.map((r) => r.tps)),
    tokens: median(engine.map((r) => r.tokens))
};
const d = {
    ttft: median(direct.map((r) => r.ttft)),
    tps: median(direct.map((r) => r.tps)),
    tokens: median(direct.map((r) => r.tokens))
};
console.log(
    `engine chat (JSON-RPC):   TTFT ${e.ttft} ms, ${e.tps.toFixed(1)} tokens/s (median of ${turns}, ${e.tokens} tokens, prompt ${engine[0].promptTokens} tokens)`
);
console.log(
    `node-llama-cpp LlamaChat: TTFT ${d.ttft} ms, ${d.tps.toFixed(1)} tokens/s (median of ${turns}, ${d.tokens} tokens)`
);
const pairRatios = engine.map((r, i) => r.tps / direct[i].tps);
console.log(
    `ratio engine/direct tokens/s: ${(e.tps / d.tps).toFixed(2)} (medians); median of the per-pair ratios ${median(pairRatios).toFixed(2)} [${pairRatios.map((r) => r.toFixed(2)).join(", ")}]; TTFT difference ${e.ttft - d.ttft} ms`
);
if (viaEngine) {
    console.log(
        `engine inline completion (textDocument/inlineCompletion, 16 tokens, new document each): alone p50 ${median(viaEngine.alone).toFixed(0)} ms; during a chat answer p50 ${median(viaEngine.during).toFixed(0)} ms (ratio ${(median(viaEngine.during) / median(viaEngine.alone)).toFixed(2)}); alone [${viaEngine.alone.map((x) => x.toFixed(0)).join(", ")}], during [${viaEngine.during.map((x) => x.toFixed(0)).join(", ")}]`
    );
}
for (const prioritized of [false, true]) {
    const c = await completionLatency(model, prioritized);
    console.log(
        `completion (16 tokens, prompt of 40 functions)${prioritized ? ", chat at low priority" : ", default batching"}: alone p50 ${median(c.alone).toFixed(0)} ms; during a chat answer p50 ${median(c.during).toFixed(0)} ms (ratio ${(median(c.during) / median(c.alone)).toFixed(2)}; chat produced ${c.chatTokens} tokens meanwhile)`
    );
}
await model.dispose();
await llama.dispose();
