/**
 * The engine's remote backends against a second engine in `serve` mode on 127.0.0.1 with a real
 * model: completion, chat streaming, cancel mid-stream, wrong key, the server killed mid-stream
 * (a clear error, and the local model's tuned path when fallback is on), and the LSP engine
 * configured remotely.
 */
import { strict as assert } from "node:assert";
import type { LlamaContext, LlamaModel } from "node-llama-cpp";
import { after, before, describe, it } from "node:test";
import type { Backend } from "../../src/engine/remote/backend";
import { BackendError } from "../../src/engine/inference/errors";
import type { TurnRequest } from "../../src/engine/chat/turnRequest";
import { readCursorWindow } from "../../src/engine/completion/cursorWindow";
import { FallbackInference } from "../../src/engine/inference/fallbackInference";
import type { CompletionJob } from "../../src/engine/inference/inference";
import { LocalInference } from "../../src/engine/inference/localInference";
import { RemoteInference } from "../../src/engine/inference/remoteInference";
import { LlamaServerBackend } from "../../src/engine/remote/llamaServerBackend";
import { OpenAiCompatibleBackend } from "../../src/engine/remote/openAiCompatibleBackend";
import type { LoadedModel, ModelHost } from "../../src/engine/modelHost/modelHost";
import { SequenceScheduler } from "../../src/engine/modelHost/sequenceScheduler";
import { COMPLETION_DEFAULTS } from "../../src/shared/completionProtocol";
import {
    BackendCheckRequest,
    BackendConfigureNotification,
    BackendStatusNotification,
    type BackendStatus
} from "../../src/shared/backendProtocol";
import { DEFAULT_BACKEND } from "../../src/shared/backend";
import { TextDocument } from "vscode-languageserver-textdocument";
import { endOf } from "../support/completionClient";
import { EngineProcess } from "../support/engineProcess";
import { requireModel } from "../support/models";
import { ServeProcess } from "../support/serveProcess";

const TINY = requireModel("tiny-fim-random.gguf");
const KEY = "team-secret";
const never = () => new AbortController().signal;
const question = {
    messages: [{ role: "user" as const, content: "Explain this code" }],
    maxTokens: 8
};

/** The window at the end of `prefix` in a document that holds only it. */
function windowOf(prefix: string) {
    const read = readCursorWindow(
        TextDocument.create("file:///w/f.py", "python", 1, prefix),
        endOf(prefix)
    );
    assert.ok(read.ok);
    return read.window;
}

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
    const out: string[] = [];
    for await (const chunk of stream) out.push(chunk);
    return out;
}

describe("remote backends against apprentice serve (tiny-fim-random)", () => {
    let serve: ServeProcess;
    let llamaServer: Backend;
    before(async () => {
        serve = await ServeProcess.start(TINY, ["--ctx-size", "1024"], {
            APPRENTICE_SERVE_API_KEY: KEY
        });
        llamaServer = new LlamaServerBackend({
            baseUrl: serve.url,
            apiKey: KEY,
            timeoutMs: 20_000
        });
    });
    after(async () => {
        await serve.stop();
    });

    it("llama.cpp backend: completion through /infill", async () => {
        const text = await llamaServer.infill(
            {
                prefix: "function add(a, b) {\n  return ",
                suffix: "\n}\n",
                maxTokens: 6,
                extra: [{ filename: "u.ts", text: "const u = 1;" }]
            },
            never()
        );
        assert.equal(typeof text, "string");
        assert.ok(text.length > 0);
    });

    it("llama.cpp backend: chat streamed in several chunks", async () => {
        const chunks = await collect(llamaServer.chat(question, never()));
        assert.ok(chunks.length >= 2, `chunks: ${JSON.stringify(chunks)}`);
    });

    it("OpenAI-compatible backend: FIM through /v1/completions and the model list", async () => {
        const openAi = new OpenAiCompatibleBackend(
            { baseUrl: `${serve.url}/v1`, apiKey: KEY, timeoutMs: 20_000 },
            "tiny",
            "deepseek"
        );
        const before = await serve.metrics({ authorization: `Bearer ${KEY}` });
        const viaTemplate = await openAi.infill(
            { prefix: "def f(x):\n    return ", suffix: "\n", maxTokens: 4 },
            never()
        );
        assert.equal(typeof viaTemplate, "string");
        assert.ok(viaTemplate.length > 0);
        assert.equal(
            (await serve.metrics({ authorization: `Bearer ${KEY}` })).requests_total,
            before.requests_total! + 1
        );
        assert.deepEqual(await openAi.models(never()), ["tiny-fim-random.gguf"]);
        assert.ok((await collect(openAi.chat(question, never()))).length >= 2);
    });

    it("cancel mid-stream stops the server's generation", async () => {
        const before = await serve.metrics({ authorization: `Bearer ${KEY}` });
        const abort = new AbortController();
        const chunks: string[] = [];
        await assert.rejects(
            async () => {
                for await (const chunk of llamaServer.chat(
                    { ...question, maxTokens: 500 },
                    abort.signal
                )) {
                    chunks.push(chunk);
                    abort.abort();
                }
            },
            (e: Error) => e.name === "AbortError"
        );
        assert.equal(chunks.length, 1);
        let after = before;
        for (
            let i = 0;
            i < 100 && after.requests_cancelled_total === before.requests_cancelled_total;
            i++
        ) {
            await new Promise((r) => setTimeout(r, 50));
            after = await serve.metrics({ authorization: `Bearer ${KEY}` });
        }
        assert.equal(after.requests_cancelled_total, before.requests_cancelled_total! + 1);
        assert.ok(after.tokens_predicted_total! - before.tokens_predicted_total! < 500);
    });

    it("a wrong key is refused with a named error that says what to do", async () => {
        const wrong = new LlamaServerBackend({
            baseUrl: serve.url,
            apiKey: "guess",
            timeoutMs: 5000
        });
        await assert.rejects(
            wrong.infill({ prefix: "a", suffix: "", maxTokens: 1 }, never()),
            (e: BackendError) => e.code === "unauthorized" && /API Key/.test(e.action)
        );
        await assert.rejects(
            collect(wrong.chat(question, never())),
            (e: BackendError) => e.code === "unauthorized"
        );
    });
});

describe("the server killed mid-stream", () => {
    let models: ModelHost;
    let local: LocalInference;
    const secrets = { usable: () => true, isSecret: () => false };
    const job = (prefix: string, maxTokens: number): CompletionJob => ({
        uri: "file:///w/f.py",
        path: "f.py",
        window: windowOf(prefix),
        chunks: [],
        alternatives: 1,
        signal: never(),
        options: { ...COMPLETION_DEFAULTS, maxTokens, minConfidence: 0 }
    });
    const turn = (): TurnRequest => ({
        turnId: `t${Math.random()}`,
        messages: [{ role: "user", text: "Explain this code" }],
        maxTokens: 8,
        onPart: () => undefined
    });

    let llama: { dispose(): Promise<void> } | undefined;
    let model: LlamaModel;
    let context: LlamaContext;

    before(async () => {
        const { getLlama } = await import("node-llama-cpp");
        const instance = await getLlama({
            gpu: false,
            build: "never",
            skipDownload: true,
            progressLogs: false
        });
        llama = instance;
        model = await instance.loadModel({ modelPath: TINY, gpuLayers: 0 });
        context = await model.createContext({ contextSize: 1024, sequences: 2, threads: 1 });
        const loaded = {
            model,
            context,
            completionSequence: context.getSequence(),
            completionScheduler: new SequenceScheduler(),
            chatSequence: context.getSequence(),
            chatScheduler: new SequenceScheduler(),
            facts: { name: "tiny-fim-random.gguf" }
        } as unknown as LoadedModel;
        // The model host's part that LocalInference uses: the loaded model and its change event.
        models = {
            loaded,
            status: { state: "ready" },
            onDidChangeModel: () => ({ dispose: () => undefined })
        } as unknown as ModelHost;
        local = new LocalInference(models, {
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined
        });
    });
    after(async () => {
        local?.dispose();
        await context?.dispose();
        await model?.dispose();
        await llama?.dispose();
    });

    it("gives a clear 'connection lost' error, and the local model answers when fallback is on", async () => {
        const serve = await ServeProcess.start(TINY, ["--ctx-size", "1024"]);
        const remote = new LlamaServerBackend({ baseUrl: serve.url, timeoutMs: 5000 });
        const switches: boolean[] = [];
        const fallback = new FallbackInference(
            new RemoteInference(remote, secrets),
            local,
            (usingFallback) => switches.push(usingFallback)
        );
        const fromServer = await fallback.complete(job("a = ", 2));
        assert.ok(
            fromServer.kind === "generated" &&
                fromServer.suggestions[0].text.length > 0 &&
                fromServer.timings.source === "server",
            "answered by the server"
        );
        assert.deepEqual(switches, []);

        const chunks: string[] = [];
        await assert.rejects(
            async () => {
                for await (const chunk of remote.chat({ ...question, maxTokens: 500 }, never())) {
                    chunks.push(chunk);
                    if (chunks.length === 1) await serve.stop("SIGKILL");
                }
            },
            (e: BackendError) =>
                e.code === "unreachable" &&
                /lost during the answer/.test(e.message) &&
                e.message.includes(remote.host)
        );
        assert.ok(chunks.length >= 1);

        const product = await fallback.complete(job("def f(x):\n    return ", 4));
        const alone = await local.complete(job("def f(x):\n    return ", 4));
        assert.ok(
            product.kind === "generated" && alone.kind === "generated",
            JSON.stringify(product)
        );
        assert.deepEqual(
            product.suggestions,
            alone.suggestions,
            "the local model answered, on the tuned local path"
        );
        assert.equal(product.timings.source, "model");
        assert.equal(
            product.timings.fallbackFrom,
            remote.host,
            "the answer says the server stood down"
        );
        assert.equal(alone.timings.fallbackFrom, undefined);
        assert.deepEqual(switches, [true], "the switch to the local model is reported once");
        const chat = await fallback.chat(turn(), never(), performance.now());
        assert.ok(chat.timings.generatedTokens >= 1, "chat falls back too");
        assert.equal(chat.fallbackFrom, remote.host);
        assert.deepEqual(switches, [true]);
    });

    it("without fallback, a refused key is never hidden by the local model", async () => {
        const serve = await ServeProcess.start(TINY, ["--ctx-size", "1024"], {
            APPRENTICE_SERVE_API_KEY: KEY
        });
        try {
            const fallback = new FallbackInference(
                new RemoteInference(
                    new LlamaServerBackend({
                        baseUrl: serve.url,
                        apiKey: "wrong",
                        timeoutMs: 5000
                    }),
                    secrets
                ),
                local,
                () => assert.fail("no fallback")
            );
            await assert.rejects(
                fallback.complete(job("a", 1)),
                (e: BackendError) => e.code === "unauthorized"
            );
        } finally {
            await serve.stop();
        }
    });
});

describe("the LSP engine configured with a remote backend", () => {
    let serve: ServeProcess;
    let engine: EngineProcess;
    const statuses: BackendStatus[] = [];
    before(async () => {
        serve = await ServeProcess.start(TINY, ["--ctx-size", "1024"], {
            APPRENTICE_SERVE_API_KEY: KEY
        });
        engine = EngineProcess.spawn();
        engine.connection.onNotification(BackendStatusNotification.type, (s) => {
            statuses.push(s);
        });
        await engine.initialize({ modelPath: "", threads: 1, gpu: "off" });
    });
    after(async () => {
        await engine.shutdown();
        await serve.stop();
    });

    it("checks the server, names the host code goes to, and never logs the key", async () => {
        await engine.connection.sendNotification(BackendConfigureNotification.type, {
            settings: { ...DEFAULT_BACKEND, kind: "llamaServer", url: serve.url },
            apiKey: KEY
        });
        const result = await engine.connection.sendRequest(BackendCheckRequest.type);
        const host = new URL(serve.url).host;
        assert.deepEqual(result.models, ["tiny-fim-random.gguf"]);
        assert.equal(result.status.health, "ok");
        assert.equal(result.status.host, host);
        assert.ok(
            statuses.some((s) => s.kind === "llamaServer" && s.host === host),
            "status names the host"
        );
        assert.ok(engine.logs.some((l) => l.includes(host) && /code is sent/.test(l)));
        assert.equal(
            [...engine.logs, engine.stderr].some((l) => l.includes(KEY)),
            false,
            "the key is not in the log"
        );
    });

    it("a wrong key and a dead server show as unauthorized and unreachable", async () => {
        await engine.connection.sendNotification(BackendConfigureNotification.type, {
            settings: { ...DEFAULT_BACKEND, kind: "llamaServer", url: serve.url },
            apiKey: "nope"
        });
        assert.equal(
            (await engine.connection.sendRequest(BackendCheckRequest.type)).status.health,
            "unauthorized"
        );
        await serve.stop("SIGKILL");
        await engine.connection.sendNotification(BackendConfigureNotification.type, {
            settings: { ...DEFAULT_BACKEND, kind: "llamaServer", url: serve.url, timeoutMs: 2000 }
        });
        const dead = await engine.connection.sendRequest(BackendCheckRequest.type);
        assert.equal(dead.status.health, "unreachable");
        assert.match(dead.status.message ?? "", /Cannot reach/);
    });

    it("back to local: nothing leaves the machine", async () => {
        await engine.connection.sendNotification(BackendConfigureNotification.type, {
            settings: DEFAULT_BACKEND
        });
        const result = await engine.connection.sendRequest(BackendCheckRequest.type);
        assert.equal(result.status.kind, "local");
        assert.equal(result.status.host, undefined);
    });
});
