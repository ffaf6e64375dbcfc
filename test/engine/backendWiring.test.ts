/**
 * Inline completion and chat of the LSP engine answered by a REAL team server: a second engine in
 * `serve` mode on 127.0.0.1 with a real model. The LSP engine has no local model loaded, so every
 * answer must come from the server (its /metrics counters prove it). Also: cancel closes the HTTP
 * request, a secret file is never sent, a killed server gives a clear error, or the local model
 * answers when fallback is on.
 */
import { strict as assert } from "node:assert";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { CancellationTokenSource, ResponseError } from "vscode-languageserver-protocol/node";
import {
    BackendConfigureNotification,
    BackendStatusNotification,
    type BackendStatus
} from "../../src/shared/backendProtocol";
import { DEFAULT_BACKEND, type BackendSettings } from "../../src/shared/backend";
import {
    ChatProgressNotification,
    ChatSendRequest,
    type ChatMessage,
    type ChatProgressParams,
    type ChatSendResult
} from "../../src/shared/chatProtocol";
import { CompletionClient, endOf } from "../support/completionClient";
import { EngineProcess } from "../support/engineProcess";
import { requireModel } from "../support/models";
import { ServeProcess } from "../support/serveProcess";

const TINY = requireModel("tiny-fim-random.gguf");
const SECRET = "sk-live-4f9a8b7c6d5e4f3a2b1c";
const CODE =
    "function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.price;\n  return ";

/** Forwards every request to the real server unchanged and records the request bodies (and clients that hung up early). */
class RecordingProxy {
    readonly bodies: string[] = [];
    /** Delay before forwarding, so that a test can cancel a request while it is surely open. */
    holdMs = 0;
    closedEarly = 0;
    private readonly server: Server;
    url = "";

    constructor(target: string) {
        this.server = createServer((req, res) => {
            const parts: Buffer[] = [];
            req.on("data", (chunk: Buffer) => parts.push(chunk));
            res.on("close", () => {
                if (!res.writableFinished) this.closedEarly++;
            });
            req.on("end", () =>
                setTimeout(() => {
                    const body = Buffer.concat(parts);
                    this.bodies.push(body.toString());
                    if (res.destroyed) return;
                    const upstream = httpRequest(
                        `${target}${req.url}`,
                        { method: req.method, headers: req.headers },
                        (answer) => {
                            res.writeHead(answer.statusCode ?? 502, answer.headers);
                            answer.pipe(res);
                        }
                    );
                    upstream.on("error", () => res.destroy());
                    res.on("close", () => upstream.destroy());
                    upstream.end(body);
                }, this.holdMs)
            );
        });
    }

    async listen(): Promise<void> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    close(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}

async function until(
    condition: () => Promise<boolean> | boolean,
    what: string,
    timeoutMs = 20_000
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
    }
}

/** An LSP engine with a chat/completion client, configured to use a server. */
class RemoteEngine {
    readonly progress: ChatProgressParams[] = [];
    readonly statuses: BackendStatus[] = [];
    readonly completion: CompletionClient;
    private turn = 0;

    constructor(readonly engine: EngineProcess) {
        this.completion = new CompletionClient(engine);
        engine.connection.onNotification(ChatProgressNotification.type, (p) => {
            this.progress.push(p);
        });
        engine.connection.onNotification(BackendStatusNotification.type, (s) => {
            this.statuses.push(s);
        });
    }

    async configure(settings: Partial<BackendSettings>): Promise<void> {
        await this.engine.connection.sendNotification(BackendConfigureNotification.type, {
            settings: { ...DEFAULT_BACKEND, ...settings }
        });
    }

    send(
        messages: ChatMessage[],
        maxTokens: number,
        token = new CancellationTokenSource().token
    ): { turnId: string; result: Promise<ChatSendResult> } {
        const turnId = `t${++this.turn}`;
        return {
            turnId,
            result: this.engine.connection.sendRequest(
                ChatSendRequest.type,
                { turnId, messages, maxTokens },
                token
            )
        };
    }

    parts(turnId: string): ChatProgressParams[] {
        return this.progress.filter((p) => p.turnId === turnId);
    }
}

describe("completion and chat answered by a team server (serve, tiny-fim-random)", () => {
    let serve: ServeProcess;
    let proxy: RecordingProxy;
    let remote: RemoteEngine;
    const requests = async () => (await serve.metrics()).requests_total!;

    before(async () => {
        serve = await ServeProcess.start(TINY, ["--ctx-size", "1024"]);
        proxy = new RecordingProxy(serve.url);
        await proxy.listen();
        remote = new RemoteEngine(EngineProcess.spawn());
        // No local model: whatever answers, answers from the server.
        await remote.engine.initialize({ modelPath: "", threads: 1, gpu: "off" });
        await remote.configure({ kind: "llamaServer", url: proxy.url, timeoutMs: 20_000 });
    });
    after(async () => {
        await remote.engine.shutdown();
        await proxy.close();
        await serve.stop();
    });

    it("inline completion comes from the server, with the current line and other files as context, never a secret file", async () => {
        await remote.completion.open(
            "file:///w/prices.ts",
            "export function priceOf(item) {\n  return item.price * item.count;\n}\n"
        );
        await remote.completion.open(
            "file:///w/.env",
            `ITEMS_PRICE_TOKEN=${SECRET}\nitem.price items sum total = ${SECRET}\n`,
            "dotenv"
        );
        await remote.completion.open("file:///w/cart.ts", CODE);
        const before = await requests();
        const result = await remote.completion.complete(
            "file:///w/cart.ts",
            endOf(CODE),
            { maxTokens: 8 },
            true
        );
        assert.equal(
            result.apprentice?.timings?.source,
            "server",
            JSON.stringify(result.apprentice)
        );
        assert.ok(
            ["ok", "empty"].includes(result.apprentice.state) &&
                result.apprentice.message === undefined,
            JSON.stringify(result.apprentice)
        );
        assert.equal(await requests(), before + 1, "the server generated one answer");
        const body = JSON.parse(proxy.bodies.at(-1)!) as {
            input_prefix: string;
            prompt?: string;
            input_extra?: { filename: string; text: string }[];
        };
        assert.equal(
            body.input_prefix + (body.prompt ?? ""),
            CODE,
            "the prefix includes the current line up to the cursor"
        );
        assert.ok(
            body.input_extra?.some((e) => e.text.includes("item.price * item.count")),
            "another open file is sent as context"
        );
        assert.equal(
            proxy.bodies.some((b) => b.includes(SECRET)),
            false,
            "the secret file is not sent as context"
        );
    });

    it("a secret file itself is never sent", async () => {
        const before = await requests();
        const sent = proxy.bodies.length;
        const text = `ITEMS_PRICE_TOKEN=${SECRET}\nOTHER=`;
        await remote.completion.change("file:///w/.env", text);
        const result = await remote.completion.complete(
            "file:///w/.env",
            endOf(text),
            { maxTokens: 8 },
            true
        );
        assert.equal(result.apprentice?.state, "skipped");
        assert.match(result.apprentice.message ?? "", /may hold secrets/);
        assert.equal(proxy.bodies.length, sent, "no request reached the server");
        assert.equal(await requests(), before);
    });

    it("chat streams from the server; a secret attachment is refused before anything is sent", async () => {
        const before = await requests();
        const { turnId, result } = remote.send(
            [
                {
                    role: "user",
                    text: "Explain this code",
                    attachments: [{ name: "src/cart.ts", languageId: "typescript", text: CODE }]
                }
            ],
            8
        );
        const answer = await result;
        assert.match(answer.template, /^llamaServer at 127\.0\.0\.1:\d+$/);
        assert.ok(remote.parts(turnId).length >= 2, "streamed in several chunks");
        assert.equal(
            remote
                .parts(turnId)
                .map((p) => p.text)
                .join(""),
            answer.text + answer.thinking
        );
        assert.equal(await requests(), before + 1);
        assert.ok(
            proxy.bodies.at(-1)!.includes("item.price"),
            "the attachment is rendered into the message"
        );

        const sent = proxy.bodies.length;
        await assert.rejects(
            remote.send(
                [
                    {
                        role: "user",
                        text: "What is this?",
                        attachments: [{ name: ".env", languageId: "dotenv", text: SECRET }]
                    }
                ],
                8
            ).result,
            (e: ResponseError<{ code: string; action: string }>) =>
                e.data?.code === "secretFile" &&
                /\.env.*secrets/.test(e.message) &&
                /Remove/.test(e.data.action)
        );
        assert.equal(proxy.bodies.length, sent, "nothing was sent");
    });

    it("a new keystroke and LSP cancellation close the open completion request", async () => {
        proxy.holdMs = 2000;
        try {
            const closed = proxy.closedEarly;
            const code = "const shipping = computeShipping(order);\nconst tax = ";
            await remote.completion.open("file:///w/late.ts", code);
            // Not answered before, so not in the engine's cache: both requests go to the server.
            const first = remote.completion.complete(
                "file:///w/late.ts",
                endOf(code),
                { maxTokens: 8 },
                true
            );
            await new Promise((r) => setTimeout(r, 300));
            const source = new CancellationTokenSource();
            const second = remote.completion.complete(
                "file:///w/late.ts",
                { line: 0, character: 17 },
                { maxTokens: 8 },
                true,
                source.token
            );
            assert.equal(
                (await first).apprentice?.state,
                "cancelled",
                "the newer request aborts the older one"
            );
            await new Promise((r) => setTimeout(r, 300));
            source.cancel();
            const cancelled = await second.then(
                (list) => list.apprentice?.state,
                (e: ResponseError<unknown>) => e.code
            );
            assert.ok(cancelled === "cancelled" || cancelled === -32800, String(cancelled));
            await until(() => proxy.closedEarly === closed + 2, "both HTTP requests to be closed");
        } finally {
            proxy.holdMs = 0;
        }
    });

    it("LSP cancellation closes the HTTP request: the server stops generating", async () => {
        const before = await serve.metrics();
        const source = new CancellationTokenSource();
        const { turnId, result } = remote.send(
            [{ role: "user", text: "Tell me a long story" }],
            500,
            source.token
        );
        await until(() => remote.parts(turnId).length >= 1, "the first chunk");
        source.cancel();
        await assert.rejects(result, (e: ResponseError<unknown>) => e.code === -32800);
        await until(
            async () =>
                (await serve.metrics()).requests_cancelled_total! >
                before.requests_cancelled_total!,
            "the server to see the cancel"
        );
        assert.ok(
            (await serve.metrics()).tokens_predicted_total! - before.tokens_predicted_total! < 500
        );
    });
});

describe("the team server killed mid-answer", () => {
    it("without fallback: chat and completion give a clear error; with fallback the local model answers", async () => {
        const serve = await ServeProcess.start(TINY, ["--ctx-size", "1024"]);
        const remote = new RemoteEngine(EngineProcess.spawn());
        try {
            await remote.engine.initialize({
                modelPath: TINY,
                contextSize: 1024,
                threads: 1,
                gpu: "off"
            });
            assert.equal((await remote.engine.waitForSettled(60_000, 0)).state, "ready");
            await remote.configure({ kind: "llamaServer", url: serve.url, timeoutMs: 5000 });

            const { turnId, result } = remote.send(
                [{ role: "user", text: "Tell me a long story" }],
                500
            );
            const failed = assert.rejects(
                result,
                (e: ResponseError<{ code: string; action: string }>) =>
                    e.data?.code === "server" &&
                    /lost during the answer|Cannot reach/.test(e.message) &&
                    e.message.includes(new URL(serve.url).host) &&
                    e.data.action.length > 0
            );
            await until(() => remote.parts(turnId).length >= 1, "the first chunk");
            await serve.stop("SIGKILL");
            await failed;

            const code = "def f(x):\n    return ";
            await remote.completion.open("file:///w/f.py", code, "python");
            const refused = await remote.completion.complete(
                "file:///w/f.py",
                endOf(code),
                { maxTokens: 4 },
                true
            );
            assert.equal(refused.apprentice?.state, "empty");
            assert.match(refused.apprentice.message ?? "", /Cannot reach .*127\.0\.0\.1.*server/i);

            await remote.configure({
                kind: "llamaServer",
                url: serve.url,
                timeoutMs: 5000,
                fallbackToLocal: true
            });
            // minConfidence 0: the fallback now applies the local filter too; this checks the route, not the filter.
            const local = await remote.completion.complete(
                "file:///w/f.py",
                endOf(code),
                { maxTokens: 4, minConfidence: 0 },
                true
            );
            assert.equal(local.apprentice?.message, undefined, JSON.stringify(local.apprentice));
            assert.ok(["ok", "empty", "lowConfidence"].includes(local.apprentice?.state ?? ""));
            assert.ok(
                remote.statuses.some((s) => s.usingFallback),
                "the switch to the local model is reported"
            );
            const chat = await remote.send([{ role: "user", text: "Hello" }], 4).result;
            assert.ok(chat.timings.generatedTokens >= 1, "the local model answered the chat");
        } finally {
            await remote.engine.shutdown();
            await serve.stop("SIGKILL");
        }
    });
});
