/**
 * The remote backends read what a real llama.cpp server sends: recorded answers replayed by a local
 * HTTP server on 127.0.0.1 (sometimes a few bytes at a time), and what they send has the fields the
 * recorded requests had. Failures of the network become named errors.
 */
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { BackendError } from "../../src/engine/inference/errors";
import { LlamaServerBackend } from "../../src/engine/remote/llamaServerBackend";
import { OpenAiCompatibleBackend } from "../../src/engine/remote/openAiCompatibleBackend";
import { loadRecording, ReplayServer } from "../support/fixtures";

const never = () => new AbortController().signal;

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
    const out: string[] = [];
    for await (const chunk of stream) out.push(chunk);
    return out;
}

function routes(...names: string[]) {
    return Object.fromEntries(
        names.map((name) => {
            const r = loadRecording(name);
            return [`${r.method} ${r.path}`, r];
        })
    );
}

describe("remote backends against recorded llama.cpp answers", () => {
    let whole: ReplayServer;
    let trickle: ReplayServer;
    const infill = loadRecording("infill.txt");
    const chatStream = loadRecording("v1-chat-stream.txt");

    before(async () => {
        whole = await ReplayServer.start(
            routes("infill.txt", "v1-chat-stream.txt", "v1-models.txt")
        );
        // Chat stream cut into 7-byte pieces: events and even UTF-8 characters arrive split.
        trickle = await ReplayServer.start(routes("v1-chat-stream.txt", "v1-completions.txt"), {
            chunkBytes: 7
        });
    });
    after(async () => {
        await whole.close();
        await trickle.close();
    });

    it("llama.cpp /infill: returns the recorded content and sends the recorded request's fields", async () => {
        const backend = new LlamaServerBackend({ baseUrl: whole.url, timeoutMs: 5000 });
        const text = await backend.infill(
            {
                prefix: "function add(a, b) {\n  return ",
                suffix: "\n}\n",
                maxTokens: 8,
                extra: [
                    {
                        filename: "util.ts",
                        text: "export const sum = (xs) => xs.reduce((a, b) => a + b, 0);\n"
                    }
                ]
            },
            never()
        );
        assert.equal(text, JSON.parse(infill.body).content);
        const sent = JSON.parse(whole.seen.at(-1)!.body);
        const recorded = JSON.parse(infill.requestBody!);
        for (const key of [
            "input_prefix",
            "prompt",
            "input_suffix",
            "input_extra",
            "n_predict",
            "cache_prompt"
        ]) {
            assert.deepEqual(sent[key], recorded[key], `field ${key}`);
        }
        assert.equal(backend.host, new URL(whole.url).host);
    });

    it("chat: yields the recorded stream's deltas in order, whole or trickled", async () => {
        const expected = chatStream.body
            .split("\n")
            .filter((l) => l.startsWith("data: {"))
            .map((l) => JSON.parse(l.slice(6)).choices[0].delta.content)
            .filter((c: unknown) => typeof c === "string");
        assert.deepEqual(expected, ["Extension", "orro", " Cha", " Website"]);
        for (const server of [whole, trickle]) {
            const backend = new LlamaServerBackend({ baseUrl: server.url, timeoutMs: 5000 }, "any");
            const chunks = await collect(
                backend.chat(
                    { messages: [{ role: "user", content: "Explain this code" }], maxTokens: 4 },
                    never()
                )
            );
            assert.deepEqual(chunks, expected);
            const sent = JSON.parse(server.seen.at(-1)!.body);
            assert.equal(sent.stream, true);
            assert.deepEqual(sent.messages, [{ role: "user", content: "Explain this code" }]);
        }
    });

    it("models: reads /v1/models", async () => {
        const backend = new OpenAiCompatibleBackend(
            { baseUrl: `${whole.url}/v1`, timeoutMs: 5000 },
            "any",
            "deepseek"
        );
        assert.deepEqual(await backend.models(never()), [
            "/work/steering/shared/models/tiny-fim-random.gguf"
        ]);
    });

    it("OpenAI /v1/completions with the deepseek FIM template: the recorded prompt and text", async () => {
        const recorded = loadRecording("v1-completions.txt");
        const backend = new OpenAiCompatibleBackend(
            { baseUrl: trickle.url, timeoutMs: 5000 },
            "any",
            "deepseek"
        );
        const text = await backend.infill(
            { prefix: "def f(x):\n    return ", suffix: "\n", maxTokens: 6 },
            never()
        );
        assert.equal(text, JSON.parse(recorded.body).choices[0].text);
        assert.equal(
            JSON.parse(trickle.seen.at(-1)!.body).prompt,
            JSON.parse(recorded.requestBody!).prompt
        );
    });
});

describe("remote backends: named errors", () => {
    it("the recorded 500 for malformed JSON becomes serverError with the server's message", async () => {
        const bad = loadRecording("v1-chat-bad-json.txt");
        const server = await ReplayServer.start({ "POST /v1/chat/completions": bad });
        try {
            const backend = new LlamaServerBackend({ baseUrl: server.url, timeoutMs: 5000 });
            await assert.rejects(
                collect(
                    backend.chat(
                        { messages: [{ role: "user", content: "x" }], maxTokens: 1 },
                        never()
                    )
                ),
                (e: BackendError) =>
                    e.code === "serverError" && e.status === 500 && /parse error/.test(e.message)
            );
        } finally {
            await server.close();
        }
    });

    it("401 becomes unauthorized; the key is sent as a bearer token", async () => {
        const server = await ReplayServer.start(routes("infill.txt"), { requireKey: "right" });
        try {
            const wrong = new LlamaServerBackend({
                baseUrl: server.url,
                apiKey: "wrong",
                timeoutMs: 5000
            });
            await assert.rejects(
                wrong.infill({ prefix: "a", suffix: "", maxTokens: 1 }, never()),
                (e: BackendError) =>
                    e.code === "unauthorized" && /API Key/.test(e.action + e.message)
            );
            const right = new LlamaServerBackend({
                baseUrl: server.url,
                apiKey: "right",
                timeoutMs: 5000
            });
            assert.equal(
                typeof (await right.infill({ prefix: "a", suffix: "", maxTokens: 1 }, never())),
                "string"
            );
        } finally {
            await server.close();
        }
    });

    it("a closed port is unreachable with the host in the message", async () => {
        const probe = createServer();
        await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
        const port = (probe.address() as AddressInfo).port;
        await new Promise<void>((resolve) => probe.close(() => resolve()));
        const backend = new LlamaServerBackend({
            baseUrl: `http://127.0.0.1:${port}`,
            timeoutMs: 2000
        });
        await assert.rejects(
            backend.infill({ prefix: "a", suffix: "", maxTokens: 1 }, never()),
            (e: BackendError) => e.code === "unreachable" && e.message.includes(`127.0.0.1:${port}`)
        );
    });

    it("chat retries a busy server (503) a bounded number of times, then says it is busy", async () => {
        let requests = 0;
        const busy = createServer((req, res) => {
            requests++;
            req.resume();
            res.writeHead(503, { "content-type": "application/json" });
            res.end(
                JSON.stringify({
                    error: { code: 503, message: "Loading model", type: "unavailable_error" }
                })
            );
        });
        await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
        try {
            const backend = new LlamaServerBackend({
                baseUrl: `http://127.0.0.1:${(busy.address() as AddressInfo).port}`,
                timeoutMs: 2000
            });
            await assert.rejects(
                collect(
                    backend.chat(
                        { messages: [{ role: "user", content: "x" }], maxTokens: 1 },
                        never()
                    )
                ),
                (e: BackendError) => e.code === "busy" && /Loading model/.test(e.message)
            );
            assert.equal(requests, 3, "three attempts in all");
            requests = 0;
            await assert.rejects(
                backend.infill({ prefix: "a", suffix: "", maxTokens: 1 }, never()),
                (e: BackendError) => e.code === "busy"
            );
            assert.equal(
                requests,
                1,
                "completion is not retried: the next keystroke asks again anyway"
            );
        } finally {
            busy.closeAllConnections();
            await new Promise<void>((resolve) => busy.close(() => resolve()));
        }
    });

    describe("a server that accepts but never answers", () => {
        let server: Server;
        let url: string;
        const closed: number[] = [];
        before(async () => {
            server = createServer((req) => {
                req.resume();
                req.socket.on("close", () => closed.push(Date.now()));
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        });
        after(async () => {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        });

        it("times out with a named error", async () => {
            const backend = new LlamaServerBackend({ baseUrl: url, timeoutMs: 600 });
            await assert.rejects(
                backend.infill({ prefix: "a", suffix: "", maxTokens: 1 }, never()),
                (e: BackendError) => e.code === "timeout"
            );
        });

        it("aborting closes the HTTP connection at once (a new keystroke really cancels)", async () => {
            const backend = new LlamaServerBackend({ baseUrl: url, timeoutMs: 60_000 });
            const abort = new AbortController();
            const before = closed.length;
            const pending = backend.infill({ prefix: "a", suffix: "", maxTokens: 1 }, abort.signal);
            await new Promise((r) => setTimeout(r, 200));
            const abortedAt = Date.now();
            abort.abort();
            await assert.rejects(pending, (e: Error) => e.name === "AbortError");
            for (let i = 0; i < 50 && closed.length === before; i++)
                await new Promise((r) => setTimeout(r, 20));
            assert.equal(closed.length, before + 1, "the server saw the connection close");
            assert.ok(closed.at(-1)! - abortedAt < 1000);
        });
    });
});
