/**
 * `serve` against what a careless client, a slow client and a hostile web page can send: token
 * limits that must never mean "unlimited", bodies larger than the context, foreign Host and Origin
 * headers, sockets that never finish a request, malformed chat content, and SIGTERM under load.
 * Real engine process, real HTTP over 127.0.0.1; no timed assertions (bounds only catch a hang).
 */
import { strict as assert } from "node:assert";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { requireModel } from "../support/models";
import { ServeProcess } from "../support/serveProcess";

const TINY = requireModel("tiny-fim-random.gguf");
const JSON_HEADERS = { "content-type": "application/json" };
/** Bounds a hang only: on code without a cap, a request runs until the client gives up. */
const HANG_MS = 60_000;

interface RawAnswer {
    status: number;
    headers: IncomingHttpHeaders;
    body: string;
    socketClosed: boolean;
}

/** One HTTP request with exactly these headers (fetch would not let a test set Host). */
function raw(
    url: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string | Buffer
): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
        const req = httpRequest(
            `${url}${path}`,
            { method, headers, agent: false, signal: AbortSignal.timeout(HANG_MS) },
            (res) => {
                const socket = res.socket;
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => {
                    text += chunk;
                });
                res.on("end", () => {
                    // Give the server a moment to close its side when it said "connection: close".
                    const done = () =>
                        resolve({
                            status: res.statusCode ?? 0,
                            headers: res.headers,
                            body: text,
                            socketClosed: socket.destroyed || socket.readyState !== "open"
                        });
                    if (socket.destroyed) done();
                    else socket.once("close", done).setTimeout(2000, done);
                });
            }
        );
        req.on("error", reject);
        req.end(body);
    });
}

async function postJson(
    url: string,
    path: string,
    body: unknown
): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(HANG_MS)
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function errorMessage(json: Record<string, unknown>): string {
    return (json.error as { message: string }).message;
}

/** A socket that sends part of a request and then nothing; resolves when the server closes it. */
function openSlowSocket(
    url: string,
    partial: string
): { socket: Socket; closed: Promise<"closed"> } {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.on("error", () => undefined);
    socket.resume(); // read what the server sends (a 408), so its close is seen
    socket.write(partial);
    return {
        socket,
        closed: new Promise((resolve) => socket.once("close", () => resolve("closed")))
    };
}

function hang(ms: number): Promise<"hang"> {
    return new Promise((resolve) => setTimeout(() => resolve("hang"), ms).unref());
}

describe("serve hardening: token limits, sizes, Host/Origin, slow clients (tiny-fim-random)", () => {
    let serve: ServeProcess;
    before(async () => {
        serve = await ServeProcess.start(TINY, [
            "--ctx-size",
            "256",
            "--parallel",
            "2",
            "--max-tokens",
            "8",
            "--request-timeout",
            "2",
            "--max-connections",
            "12"
        ]);
    });
    after(async () => {
        assert.equal(await serve.stop(), 0, "SIGTERM stops it cleanly");
    });

    it("a zero, fractional or negative token limit never means unlimited: every answer stays within --max-tokens", async () => {
        const cases: [string, Record<string, unknown>][] = [
            ["/completion", { prompt: "const x = ", n_predict: 0 }],
            ["/completion", { prompt: "const x = ", n_predict: 0.5 }],
            ["/completion", { prompt: "const x = ", n_predict: -1 }],
            ["/completion", { prompt: "const x = ", n_predict: 1e9 }],
            ["/v1/completions", { prompt: "const x = ", max_tokens: 0 }],
            [
                "/v1/chat/completions",
                { messages: [{ role: "user", content: "hi" }], max_tokens: 0 }
            ],
            [
                "/v1/chat/completions",
                { messages: [{ role: "user", content: "hi" }], max_completion_tokens: 0.25 }
            ],
            ["/infill", { input_prefix: "a", input_suffix: "b", n_predict: 0 }]
        ];
        for (const [path, body] of cases) {
            const { status, json } = await postJson(serve.url, path, body);
            assert.equal(status, 200, `${path} ${JSON.stringify(body)}: ${JSON.stringify(json)}`);
            const tokens = (json.tokens_predicted ??
                (json.usage as { completion_tokens: number }).completion_tokens) as number;
            console.log(`  ${path} ${JSON.stringify(body).slice(0, 70)} -> ${tokens} tokens`);
            assert.ok(
                tokens >= 0 && tokens <= 8,
                `${path} ${JSON.stringify(body)} generated ${tokens} tokens; the cap is 8`
            );
        }
    });

    it("other numeric parameters out of range get a 400 that names them", async () => {
        for (const [field, value] of [
            ["temperature", -1],
            ["top_p", 1.5],
            ["top_k", -3],
            ["top_k", 2.5],
            ["temperature", 1e9]
        ] as const) {
            const { status, json } = await postJson(serve.url, "/completion", {
                prompt: "x",
                n_predict: 1,
                [field]: value
            });
            assert.equal(status, 400, `${field}: ${value} -> ${status}`);
            assert.match(errorMessage(json), new RegExp(field));
        }
    });

    it("a body larger than the context can use is refused with 413 before it is read whole, and the connection is closed", async () => {
        const prompt = "x = 1\n".repeat(1_400_000); // 8.0 MB of text, under the old fixed 8 MiB limit
        const started = performance.now();
        const pending = raw(
            serve.url,
            "POST",
            "/completion",
            { ...JSON_HEADERS, connection: "keep-alive" },
            JSON.stringify({ prompt: prompt.slice(0, 7_900_000), n_predict: 1 })
        ).catch((error: NodeJS.ErrnoException) => ({
            status: -1,
            headers: {} as IncomingHttpHeaders,
            body: String(error.code),
            socketClosed: true
        }));
        const health = performance.now();
        assert.equal(
            (await fetch(`${serve.url}/health`, { signal: AbortSignal.timeout(HANG_MS) })).status,
            200
        );
        const healthMs = Math.round(performance.now() - health);
        const answer = await pending;
        console.log(
            `  7.9 MB prompt -> ${answer.status} after ${Math.round(performance.now() - started)} ms ${answer.body.slice(0, 100)}; /health meanwhile took ${healthMs} ms`
        );
        // The server may close while the client still writes (EPIPE/ECONNRESET); never a 200.
        if (answer.status !== -1) {
            assert.equal(answer.status, 413);
            assert.match(JSON.parse(answer.body).error.message, /larger than \d+ bytes/);
            assert.equal(answer.headers.connection, "close");
            assert.ok(answer.socketClosed, "the server closed the connection");
        } else {
            assert.match(answer.body, /EPIPE|ECONNRESET/);
        }
    });

    it("text longer than the context is cut before tokenizing; /health answers while it runs", async () => {
        // Within the body limit, but far more than 256 tokens: the server keeps the end of the prefix.
        const long = "let value = compute(value) + 1;\n".repeat(3000); // 96 KB
        const started = performance.now();
        const pending = postJson(serve.url, "/infill", {
            input_prefix: long,
            prompt: "",
            input_suffix: long,
            n_predict: 2
        });
        const healthMs: number[] = [];
        for (let i = 0; i < 5; i++) {
            const t = performance.now();
            assert.equal(
                (await fetch(`${serve.url}/health`, { signal: AbortSignal.timeout(HANG_MS) }))
                    .status,
                200
            );
            healthMs.push(Math.round(performance.now() - t));
        }
        const { status, json } = await pending;
        console.log(
            `  96 KB prefix + suffix at ctx 256: ${status} in ${Math.round(performance.now() - started)} ms; /health took ${healthMs.join(", ")} ms meanwhile`
        );
        assert.equal(status, 200, JSON.stringify(json));
        const completion = await postJson(serve.url, "/completion", { prompt: long, n_predict: 2 });
        assert.equal(completion.status, 200, JSON.stringify(completion.json));
        assert.ok(
            (completion.json.tokens_evaluated as number) <= 256,
            `evaluated ${String(completion.json.tokens_evaluated)} tokens of a 256-token context`
        );
    });

    it("refuses a foreign Host (DNS rebinding), a foreign Origin and non-JSON bodies; accepts loopback names", async () => {
        const body = JSON.stringify({ prompt: "x", n_predict: 1 });
        const port = new URL(serve.url).port;
        const rebinding = await raw(
            serve.url,
            "POST",
            "/completion",
            { ...JSON_HEADERS, host: `evil.example:${port}` },
            body
        );
        assert.equal(rebinding.status, 403, rebinding.body);
        assert.match(JSON.parse(rebinding.body).error.message, /Host/);
        const rebindingHealth = await raw(serve.url, "GET", "/health", { host: "evil.example" });
        assert.equal(
            rebindingHealth.status,
            403,
            "even /health: a rebinding page must not read anything"
        );
        const page = await raw(
            serve.url,
            "POST",
            "/completion",
            {
                "content-type": "text/plain",
                host: `127.0.0.1:${port}`,
                origin: "http://evil.example"
            },
            body
        );
        assert.equal(page.status, 403, page.body);
        assert.match(JSON.parse(page.body).error.message, /Origin/);
        const nullOrigin = await raw(
            serve.url,
            "POST",
            "/completion",
            { ...JSON_HEADERS, origin: "null" },
            body
        );
        assert.equal(nullOrigin.status, 403);
        const plain = await raw(
            serve.url,
            "POST",
            "/completion",
            { "content-type": "text/plain" },
            body
        );
        assert.equal(plain.status, 415, plain.body);
        const form = await raw(
            serve.url,
            "POST",
            "/completion",
            { "content-type": "application/x-www-form-urlencoded" },
            body
        );
        assert.equal(form.status, 415);
        const none = await raw(serve.url, "POST", "/completion", {}, body);
        assert.equal(none.status, 415);
        for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, "localhost"]) {
            const ok = await raw(
                serve.url,
                "POST",
                "/completion",
                { "content-type": "application/json; charset=utf-8", host },
                body
            );
            assert.equal(ok.status, 200, `${host}: ${ok.body}`);
        }
        const preflight = await raw(serve.url, "OPTIONS", "/completion", {
            origin: "http://evil.example",
            "access-control-request-method": "POST"
        });
        assert.equal(preflight.status, 403);
        assert.equal(preflight.headers["access-control-allow-origin"], undefined);
    });

    it("malformed chat content is a 400 with a message, not a 500", async () => {
        for (const content of [[1, null], [null], { text: "x" }, 42, [{ type: "text", text: 5 }]]) {
            const { status, json } = await postJson(serve.url, "/v1/chat/completions", {
                messages: [{ role: "user", content }],
                max_tokens: 1
            });
            assert.equal(
                status,
                400,
                `${JSON.stringify(content)} -> ${status} ${JSON.stringify(json)}`
            );
            assert.match(errorMessage(json), /content/);
        }
        assert.doesNotMatch(serve.stderr, /TypeError|at .*\.js:\d+/, "no stack trace in the log");
        const ok = await postJson(serve.url, "/v1/chat/completions", {
            messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
            max_tokens: 1
        });
        assert.equal(ok.status, 200);
    });

    it("a client that never finishes its headers or body is disconnected (--request-timeout)", async () => {
        const headersOnly = openSlowSocket(
            serve.url,
            "POST /completion HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        );
        const bodyPart = openSlowSocket(
            serve.url,
            'POST /completion HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"prompt":'
        );
        const results = await Promise.all([
            Promise.race([headersOnly.closed, hang(HANG_MS)]),
            Promise.race([bodyPart.closed, hang(HANG_MS)])
        ]);
        assert.deepEqual(results, ["closed", "closed"]);
    });

    it("the connection is closed after a 401 (no idle socket for an unauthenticated client)", async () => {
        const keyed = await ServeProcess.start(TINY, ["--ctx-size", "256", "--parallel", "1"], {
            APPRENTICE_SERVE_API_KEY: "k"
        });
        try {
            const answer = await raw(keyed.url, "GET", "/v1/models", { connection: "keep-alive" });
            assert.equal(answer.status, 401);
            assert.equal(answer.headers.connection, "close");
            assert.ok(answer.socketClosed, "the server closed the connection after the 401");
        } finally {
            assert.equal(await keyed.stop(), 0);
        }
    });

    it("connections beyond --max-connections are refused at once; the server keeps answering afterwards", async () => {
        const idle = Array.from({ length: 12 }, () =>
            openSlowSocket(serve.url, "GET /health HTTP/1.1\r\n")
        );
        await new Promise((r) => setTimeout(r, 300));
        const extra = openSlowSocket(serve.url, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assert.equal(
            await Promise.race([extra.closed, hang(HANG_MS)]),
            "closed",
            "the 13th connection was closed"
        );
        for (const s of idle) s.socket.destroy();
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(
            (await fetch(`${serve.url}/health`, { signal: AbortSignal.timeout(HANG_MS) })).status,
            200
        );
    });
});

describe("serve hardening: allowing an origin on purpose", () => {
    it("--allow-origin lets that origin (and only that one) call the server, with CORS headers", async () => {
        const serve = await ServeProcess.start(TINY, [
            "--ctx-size",
            "256",
            "--parallel",
            "1",
            "--max-tokens",
            "4",
            "--allow-origin",
            "https://tools.example"
        ]);
        try {
            const body = JSON.stringify({ prompt: "x", n_predict: 1 });
            const allowed = await raw(
                serve.url,
                "POST",
                "/completion",
                { ...JSON_HEADERS, origin: "https://tools.example" },
                body
            );
            assert.equal(allowed.status, 200, allowed.body);
            assert.equal(allowed.headers["access-control-allow-origin"], "https://tools.example");
            const preflight = await raw(serve.url, "OPTIONS", "/completion", {
                origin: "https://tools.example",
                "access-control-request-method": "POST"
            });
            assert.equal(preflight.status, 204);
            assert.match(
                String(preflight.headers["access-control-allow-headers"]),
                /content-type/i
            );
            const other = await raw(
                serve.url,
                "POST",
                "/completion",
                { ...JSON_HEADERS, origin: "https://evil.example" },
                body
            );
            assert.equal(other.status, 403);
        } finally {
            assert.equal(await serve.stop(), 0);
        }
    });
});

describe("serve hardening: SIGTERM under load", () => {
    it("stops with exit code 0 while streams and a large request run", async () => {
        const serve = await ServeProcess.start(TINY, [
            "--ctx-size",
            "2048",
            "--parallel",
            "2",
            "--max-tokens",
            "4096",
            "--max-queue",
            "4"
        ]);
        const streams = [0, 1].map(() =>
            fetch(`${serve.url}/completion`, {
                method: "POST",
                headers: JSON_HEADERS,
                body: JSON.stringify({ prompt: "Once upon a time", n_predict: 4096, stream: true })
            })
        );
        // Both slots generate: read a first event of each.
        const readers = await Promise.all(
            streams.map(async (s) => {
                const reader = (await s).body!.getReader();
                await reader.read();
                return reader;
            })
        );
        const large = fetch(`${serve.url}/infill`, {
            method: "POST",
            headers: JSON_HEADERS,
            body: JSON.stringify({
                input_prefix: "let a = 1;\n".repeat(20_000),
                input_suffix: "x",
                n_predict: 4096
            })
        }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 200));
        const code = await serve.stop("SIGTERM");
        for (const reader of readers) await reader.cancel().catch(() => undefined);
        await large;
        console.log(
            `  exit code ${code}, signal ${serve.child.signalCode}; log: ${serve.stderr.trim().split("\n").slice(-8).join(" | ")}`
        );
        assert.equal(
            serve.child.signalCode,
            null,
            "not killed by a signal (no segmentation fault)"
        );
        assert.equal(code, 0);
        assert.match(serve.stderr, /serve: stopped\./, "disposed in order");
    });
});
