/**
 * `node dist/engine.js serve` with a real model on 127.0.0.1: every endpoint over real HTTP,
 * server-sent events, the API key, cancellation when the client goes away, and the bounded queue.
 */
import { strict as assert } from "node:assert";
import { request as httpRequest } from "node:http";
import { after, before, describe, it } from "node:test";
import { SseParser } from "../../src/engine/remote/sse";
import { requireModel } from "../support/models";
import { ServeProcess } from "../support/serveProcess";

const TINY = requireModel("tiny-fim-random.gguf");
const STORIES = requireModel("stories260K.gguf");
const KEY = "test-key-123";
const auth = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };

async function post(
    url: string,
    body: unknown,
    headers: Record<string, string> = auth
): Promise<Response> {
    return fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
}

async function events(response: Response): Promise<string[]> {
    const parser = new SseParser();
    return [...parser.feed(await response.text()), ...parser.end()];
}

describe("serve mode: endpoints (tiny-fim-random, API key)", () => {
    let serve: ServeProcess;
    before(async () => {
        serve = await ServeProcess.start(TINY, ["--ctx-size", "1024", "--parallel", "2"], {
            APPRENTICE_SERVE_API_KEY: KEY
        });
    });
    after(async () => {
        assert.equal(await serve.stop(), 0, "SIGTERM stops it cleanly");
    });

    it("listens on loopback and /health answers without a key", async () => {
        assert.match(serve.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        const health = (await (await fetch(`${serve.url}/health`)).json()) as {
            status: string;
            slots_idle: number;
        };
        assert.equal(health.status, "ok");
        assert.equal(health.slots_idle, 2);
    });

    it("refuses requests without the key or with a wrong one (401, llama.cpp's error shape)", async () => {
        for (const headers of [
            { "content-type": "application/json" },
            { ...auth, authorization: "Bearer nope" }
        ]) {
            const response = await post(
                `${serve.url}/infill`,
                { input_prefix: "a", input_suffix: "" },
                headers
            );
            assert.equal(response.status, 401);
            const body = (await response.json()) as { error: { code: number; type: string } };
            assert.equal(body.error.code, 401);
            assert.equal(body.error.type, "authentication_error");
        }
        assert.equal((await fetch(`${serve.url}/v1/models`)).status, 401);
    });

    it("/v1/models lists the model", async () => {
        const list = (await (await fetch(`${serve.url}/v1/models`, { headers: auth })).json()) as {
            object: string;
            data: { id: string }[];
        };
        assert.equal(list.object, "list");
        assert.deepEqual(
            list.data.map((m) => m.id),
            ["tiny-fim-random.gguf"]
        );
    });

    it("/infill answers like llama.cpp: content, stop, stop_type limit at n_predict", async () => {
        const response = await post(`${serve.url}/infill`, {
            input_prefix: "function add(a, b) {\n",
            prompt: "  return ",
            input_suffix: "\n}\n",
            input_extra: [{ filename: "util.ts", text: "export const sum = 1;\n" }],
            n_predict: 6,
            cache_prompt: true
        });
        assert.equal(response.status, 200);
        const body = (await response.json()) as {
            content: string;
            stop: boolean;
            stop_type: string;
            tokens_predicted: number;
        };
        assert.equal(typeof body.content, "string");
        assert.ok(body.content.length > 0);
        assert.equal(body.stop, true);
        assertStopped(body.tokens_predicted, body.stop_type, 6, "limit", ["eos", "word"]);
    });

    it("/infill while typing along a line evaluates only the typed characters (KV cache reuse)", async () => {
        const before = "import { sum } from './util';\n".repeat(20) + "function total(xs) {\n";
        const after = "\n}\n" + "export const other = 1;\n".repeat(10);
        const client = { ...auth, "x-apprentice-client": "typist" };
        const evaluated: number[] = [];
        for (const line of ["  return s", "  return su", "  return sum"]) {
            const answer = (await (
                await post(
                    `${serve.url}/infill`,
                    { input_prefix: before, prompt: line, input_suffix: after, n_predict: 2 },
                    client
                )
            ).json()) as { tokens_evaluated: number };
            evaluated.push(answer.tokens_evaluated);
        }
        assert.ok(
            evaluated[0]! > 100,
            `the first keystroke reads the whole prompt (${evaluated[0]})`
        );
        assert.ok(
            evaluated[1]! < 10 && evaluated[2]! < 10,
            `later keystrokes read only what changed: ${evaluated.join(", ")}`
        );
    });

    it("/infill streamed: data events whose contents add up, the last with stop: true", async () => {
        const response = await post(`${serve.url}/infill`, {
            input_prefix: "def f(x):\n",
            prompt: "    return ",
            input_suffix: "\n",
            n_predict: 5,
            stream: true
        });
        assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/);
        const parsed = (await events(response)).map(
            (e) => JSON.parse(e) as { content: string; stop: boolean }
        );
        assert.ok(parsed.length >= 2);
        assert.equal(parsed.at(-1)!.stop, true);
        assert.ok(parsed.slice(0, -1).every((e) => e.stop === false && e.content.length > 0));
        const streamed = parsed.map((e) => e.content).join("");
        const whole = (await (
            await post(`${serve.url}/infill`, {
                input_prefix: "def f(x):\n",
                prompt: "    return ",
                input_suffix: "\n",
                n_predict: 5
            })
        ).json()) as { content: string };
        assert.equal(streamed, whole.content, "greedy: streamed and whole answers agree");
    });

    it("/completion and /v1/completions continue a raw prompt", async () => {
        const llama = (await (
            await post(`${serve.url}/completion`, { prompt: "const x = ", n_predict: 3 })
        ).json()) as { content: string; tokens_predicted: number };
        assert.ok(
            llama.tokens_predicted >= 1 && llama.tokens_predicted <= 3,
            String(llama.tokens_predicted)
        );
        const openai = (await (
            await post(`${serve.url}/v1/completions`, {
                model: "x",
                prompt: "const x = ",
                max_tokens: 3
            })
        ).json()) as { object: string; choices: { text: string; finish_reason: string }[] };
        assert.equal(openai.object, "text_completion");
        assert.equal(openai.choices[0]!.text, llama.content);
        assert.equal(
            openai.choices[0]!.finish_reason,
            llama.tokens_predicted === 3 ? "length" : "stop"
        );
    });

    it("/v1/chat/completions: a whole answer and an SSE stream ending in [DONE]", async () => {
        const messages = [
            { role: "system", content: "You explain code." },
            { role: "user", content: "Explain this code" }
        ];
        const whole = (await (
            await post(`${serve.url}/v1/chat/completions`, {
                model: "any",
                messages,
                max_tokens: 6
            })
        ).json()) as {
            object: string;
            choices: { message: { role: string; content: string }; finish_reason: string }[];
            usage: { completion_tokens: number };
        };
        assert.equal(whole.object, "chat.completion");
        assert.equal(whole.choices[0]!.message.role, "assistant");
        assertStopped(whole.usage.completion_tokens, whole.choices[0]!.finish_reason, 6, "length", [
            "stop"
        ]);
        const stream = await events(
            await post(`${serve.url}/v1/chat/completions`, {
                model: "any",
                messages,
                max_tokens: 6,
                stream: true
            })
        );
        assert.equal(stream.at(-1), "[DONE]");
        const chunks = stream.slice(0, -1).map(
            (e) =>
                JSON.parse(e) as {
                    object: string;
                    choices: { delta: { content?: string }; finish_reason: string | null }[];
                }
        );
        assert.ok(chunks.every((c) => c.object === "chat.completion.chunk"));
        assert.ok(
            ["length", "stop"].includes(chunks.at(-1)!.choices[0]!.finish_reason ?? ""),
            String(chunks.at(-1)!.choices[0]!.finish_reason)
        );
        assert.ok(
            chunks.filter((c) => c.choices[0]!.delta.content).length >= 2,
            "streamed in several chunks"
        );
    });

    it("bad requests get 400 with a message that names the problem; unknown paths 404", async () => {
        const malformed = await fetch(`${serve.url}/v1/chat/completions`, {
            method: "POST",
            headers: auth,
            body: '{"model":'
        });
        assert.equal(malformed.status, 400);
        assert.match(
            ((await malformed.json()) as { error: { message: string } }).error.message,
            /JSON/
        );
        const noMessages = await post(`${serve.url}/v1/chat/completions`, { messages: [] });
        assert.match(
            ((await noMessages.json()) as { error: { message: string } }).error.message,
            /messages/
        );
        const lastNotUser = await post(`${serve.url}/v1/chat/completions`, {
            messages: [{ role: "assistant", content: "x" }]
        });
        assert.equal(lastNotUser.status, 400);
        assert.equal((await fetch(`${serve.url}/nothing`, { headers: auth })).status, 404);
    });

    it("a client that disconnects mid-stream cancels its generation and frees the slot", async () => {
        const before = await serve.metrics(auth);
        await new Promise<void>((resolve, reject) => {
            const req = httpRequest(
                `${serve.url}/v1/chat/completions`,
                { method: "POST", headers: auth },
                (res) => {
                    res.once("data", () => {
                        req.destroy();
                        resolve();
                    });
                }
            );
            req.on("error", (error) => {
                if (!req.destroyed) reject(error);
            });
            req.end(
                JSON.stringify({
                    messages: [{ role: "user", content: "Tell a long story" }],
                    max_tokens: 512,
                    stream: true
                })
            );
        });
        let after = await serve.metrics(auth);
        for (
            let i = 0;
            i < 100 && after.requests_cancelled_total === before.requests_cancelled_total;
            i++
        ) {
            await new Promise((r) => setTimeout(r, 50));
            after = await serve.metrics(auth);
        }
        assert.equal(
            after.requests_cancelled_total,
            before.requests_cancelled_total! + 1,
            "the server counted the cancel"
        );
        assert.ok(
            after.tokens_predicted_total! - before.tokens_predicted_total! < 512,
            "generation stopped before max_tokens"
        );
        const health = (await (await fetch(`${serve.url}/health`)).json()) as {
            slots_idle: number;
        };
        assert.equal(health.slots_idle, 2);
    });
});

describe("serve mode: bounded queue and models without FIM", () => {
    let serve: ServeProcess;
    before(async () => {
        serve = await ServeProcess.start(STORIES, [
            "--ctx-size",
            "512",
            "--parallel",
            "1",
            "--max-queue",
            "1"
        ]);
    });
    after(async () => {
        await serve.stop();
    });

    it("one running, one waiting, the rest get 429 with Retry-After; the waiting one is answered", async () => {
        const body = { messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 200 };
        const headers = { "content-type": "application/json" };
        const responses = await Promise.all(
            Array.from({ length: 4 }, () => post(`${serve.url}/v1/chat/completions`, body, headers))
        );
        const statuses = responses.map((r) => r.status).sort();
        assert.deepEqual(statuses, [200, 200, 429, 429]);
        const refused = responses.find((r) => r.status === 429)!;
        assert.equal(refused.headers.get("retry-after"), "1");
        assert.match(
            ((await refused.json()) as { error: { message: string } }).error.message,
            /busy/
        );
        const metrics = await serve.metrics();
        assert.equal(metrics.requests_rejected_total, 2);
    });

    it("/infill on a model without FIM tokens says so (501)", async () => {
        const response = await post(
            `${serve.url}/infill`,
            { input_prefix: "a", input_suffix: "b", n_predict: 2 },
            { "content-type": "application/json" }
        );
        assert.equal(response.status, 501);
        assert.match(
            ((await response.json()) as { error: { message: string } }).error.message,
            /fill-in-the-middle/
        );
    });
});

describe("serve mode: command line", () => {
    it("refuses a non-loopback host without an API key", async () => {
        await assert.rejects(
            ServeProcess.start(TINY, ["--host", "0.0.0.0"], {}, 30_000),
            /--api-key/
        );
    });
});

/**
 * A tiny random model may produce an end-of-generation token before the limit (greedy picks can
 * differ with and without a reused KV cache): then it stopped early for that reason; otherwise at the limit.
 */
function assertStopped(
    tokens: number,
    reason: string,
    limit: number,
    atLimit: string,
    early: string[]
): void {
    if (tokens === limit) assert.equal(reason, atLimit);
    else {
        assert.ok(tokens >= 1 && tokens < limit, `${tokens} tokens of at most ${limit}`);
        assert.ok(early.includes(reason), `stopped early with reason ${reason}`);
    }
}
