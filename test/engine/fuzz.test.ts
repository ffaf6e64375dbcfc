/**
 * Hostile input over real JSON-RPC to the real engine: malformed messages, wrong param types for
 * every method in FUZZ_TARGETS, out-of-range positions, huge, binary and badly encoded text,
 * bursts of cancels. Every request must get a result or a proper JSON-RPC error, the process must
 * stay alive, and normal requests must still work afterwards. Seeded, bounded, deterministic.
 */
import { strict as assert } from "node:assert";
import {
    copyFileSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    rmSync,
    writeFileSync
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { hostileValue, mutate, pick, seededRandom } from "../support/fuzzInput";
import { FUZZ_TARGETS, UNREACHABLE_SERVER, type FuzzSandbox } from "../support/fuzzTargets";
import { REPO_ROOT, requireModel } from "../support/models";
import { RawRpcEngine, type RpcReply } from "../support/rawRpc";

const TINY = requireModel("tiny-fim-random.gguf");
const GUARD = path.join(REPO_ROOT, "out", "test", "support", "noNetwork.js");
const SEED = Number(process.env.APPRENTICE_FUZZ_SEED ?? 20261123);
const ROUNDS = Number(process.env.APPRENTICE_FUZZ_ROUNDS ?? 5000);
const DOC = "file:///fuzz/open.ts";

const counts = { requests: 0, notifications: 0, envelopes: 0, errors: 0, results: 0 };
/** Per method: requests answered with a result, with an error; chat turns and completions the model really generated. */
const perMethod = new Map<string, { results: number; errors: number }>();
const generated = { chatTurns: 0, chatTokens: 0, completions: 0 };

function countReply(method: string, reply: RpcReply): void {
    const entry = perMethod.get(method) ?? { results: 0, errors: 0 };
    if (reply.error) entry.errors++;
    else entry.results++;
    perMethod.set(method, entry);
    const result = reply.result as
        | {
              timings?: { generatedTokens?: number };
              apprentice?: { timings?: { source?: string; generatedTokens?: number } };
          }
        | null
        | undefined;
    if (method === "apprentice/chat/send" && (result?.timings?.generatedTokens ?? 0) > 0) {
        generated.chatTurns++;
        generated.chatTokens += result!.timings!.generatedTokens!;
    }
    if (
        method === "textDocument/inlineCompletion" &&
        result?.apprentice?.timings?.source === "model" &&
        (result.apprentice.timings.generatedTokens ?? 0) > 0
    )
        generated.completions++;
}

function assertProperReply(reply: RpcReply, context: string): void {
    const hasResult = Object.prototype.hasOwnProperty.call(reply, "result");
    assert.ok(
        hasResult || reply.error,
        `${context}: a reply has a result or an error: ${JSON.stringify(reply).slice(0, 300)}`
    );
    if (reply.error) {
        assert.equal(
            Number.isInteger(reply.error.code),
            true,
            `${context}: error code is an integer`
        );
        assert.equal(typeof reply.error.message, "string", `${context}: error message is a string`);
        counts.errors++;
    } else {
        counts.results++;
    }
}

describe("engine fuzz: hostile JSON-RPC never crashes or freezes the engine", () => {
    let engine: RawRpcEngine;
    const random = seededRandom(SEED);
    // Everything the model-management methods may touch lives here; the network guard refuses and logs non-loopback connections.
    const dir = mkdtempSync(path.join(os.tmpdir(), "apprentice-fuzz-"));
    const sandbox: FuzzSandbox = {
        modelsFolder: path.join(dir, "models"),
        modelFile: path.join(dir, "models", "fuzz-model.gguf"),
        deletableFileName: "fuzz-deletable.gguf"
    };
    const netLog = path.join(dir, "net.log");
    const engineSettings = {
        modelPath: TINY,
        threads: 1,
        gpu: "off",
        contextSize: 512,
        modelsFolder: sandbox.modelsFolder,
        modelMirror: UNREACHABLE_SERVER
    };
    const valid = (method: string, uri = DOC) =>
        FUZZ_TARGETS.find((t) => t.method === method)!.valid(uri, sandbox);

    before(() => {
        assert.ok(existsSync(GUARD), `the network guard is built: ${GUARD}`);
        mkdirSync(sandbox.modelsFolder);
        copyFileSync(TINY, sandbox.modelFile);
        writeFileSync(path.join(sandbox.modelsFolder, sandbox.deletableFileName), "not a model");
        writeFileSync(netLog, "");
        engine = new RawRpcEngine({
            NODE_OPTIONS: `--require ${GUARD}`,
            APPRENTICE_NET_LOG: netLog
        });
    });
    after(async () => {
        console.log(
            `fuzz (seed ${SEED}): ${counts.requests} requests, ${counts.notifications} notifications, ${counts.envelopes} malformed envelopes; replies: ${counts.results} results, ${counts.errors} errors`
        );
        console.log(
            `fuzz: model really ran for ${generated.chatTurns} chat turns (${generated.chatTokens} tokens) and ${generated.completions} inline completions`
        );
        console.log(
            `fuzz per method (results/errors): ${[...perMethod].map(([m, c]) => `${m} ${c.results}/${c.errors}`).join(", ")}`
        );
        await engine.shutdown();
        rmSync(dir, { recursive: true, force: true });
    });

    /** Sends requests in parallel and checks each reply. */
    async function requests(
        batch: { method: string; params: unknown }[],
        context: string
    ): Promise<RpcReply[]> {
        counts.requests += batch.length;
        const replies = await Promise.all(batch.map((r) => engine.request(r.method, r.params)));
        replies.forEach((reply, i) => {
            assertProperReply(reply, `${context} ${batch[i].method}`);
            countReply(batch[i].method, reply);
        });
        assert.equal(engine.alive, true, `${context}: the engine is alive`);
        return replies;
    }

    it("refuses requests before initialize with ServerNotInitialized, and drops notifications", async () => {
        const batch = FUZZ_TARGETS.filter(
            (t) => t.kind === "request" && t.method !== "initialize"
        ).flatMap((t) => [
            { method: t.method, params: t.valid(DOC, sandbox) },
            { method: t.method, params: mutate(random, t.valid(DOC, sandbox)) }
        ]);
        for (const t of FUZZ_TARGETS.filter(
            (x) => x.kind === "notification" && x.method !== "initialized"
        )) {
            engine.notify(t.method, t.valid(DOC, sandbox));
            counts.notifications++;
        }
        const replies = await requests(batch, "before initialize");
        for (const reply of replies) assert.equal(reply.error?.code, -32002, JSON.stringify(reply));
    });

    it("rejects a malformed initialize with an error, then accepts a good one once", async () => {
        for (const params of [
            null,
            5,
            "x",
            [],
            { capabilities: "none" },
            { processId: "abc", capabilities: null }
        ]) {
            const reply = await engine.request("initialize", params);
            assertProperReply(reply, "bad initialize");
            counts.requests++;
        }
        const good = await engine.request("initialize", {
            processId: null,
            rootUri: null,
            capabilities: {},
            initializationOptions: { settings: engineSettings }
        });
        assert.ok(good.result, JSON.stringify(good));
        engine.notify("initialized", {});
        const again = await engine.request("initialize", {
            processId: null,
            rootUri: null,
            capabilities: {}
        });
        assert.equal(
            again.error?.code,
            -32600,
            `a second initialize is refused: ${JSON.stringify(again)}`
        );
        counts.requests += 2;
        await waitReady(engine);
        const loads = () =>
            engine.notifications.filter(
                (n) =>
                    n.method === "apprentice/status" &&
                    (n.params as { state: string }).state === "loading"
            ).length;
        const before = loads();
        for (let i = 0; i < 5; i++) engine.notify("initialized", {});
        await engine.request("apprentice/status/get");
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(
            loads(),
            before,
            "a repeated initialized notification does not load the model again"
        );
    });

    it("survives malformed envelopes: bad JSON, wrong types, invalid UTF-8, deep nesting", async () => {
        const id = () => engine.takeId();
        const withIds: { id: number; body: unknown }[] = [];
        const blind: unknown[] = [
            "{",
            "}",
            "[]",
            "null",
            "42",
            '"text"',
            '{"jsonrpc":"2.0"}',
            '{"jsonrpc":"1.0","method":"x"}',
            Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0x7b]),
            Buffer.from(
                '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":"\xff"}',
                "latin1"
            ),
            { jsonrpc: "2.0", method: 5 },
            { jsonrpc: "2.0", method: null, params: {} },
            { jsonrpc: "2.0", id: { nested: true }, method: "apprentice/status/get" },
            { jsonrpc: "2.0", id: [1], method: "apprentice/status/get" },
            { jsonrpc: "2.0", id: 999_999, result: "a reply to nothing" },
            { jsonrpc: "2.0", id: 999_998, error: { code: "x" } },
            [{ jsonrpc: "2.0", method: "initialized" }],
            "[".repeat(100_000),
            '{"a":'.repeat(50_000) + "1" + "}".repeat(50_000),
            { jsonrpc: "2.0", method: "$/cancelRequest" },
            { jsonrpc: "2.0", method: "$/cancelRequest", params: null },
            { jsonrpc: "2.0", method: "$/cancelRequest", params: "7" },
            { jsonrpc: "2.0", method: "$/cancelRequest", params: { id: { x: 1 } } }
        ];
        for (const body of blind) {
            engine.writeBody(body);
            counts.envelopes++;
        }
        for (const [method, params] of [
            ["apprentice/status/get", "a string"],
            ["apprentice/status/get", 42],
            ["textDocument/inlineCompletion", [1, 2, 3]],
            ["textDocument/hover", null],
            ["apprentice/status/get", [[[[[]]]]]]
        ] as const) {
            const requestId = id();
            withIds.push({
                id: requestId,
                body: { jsonrpc: "2.0", id: requestId, method, params }
            });
        }
        const stringId = `id-${id()}`;
        withIds.push({
            id: -1,
            body: { jsonrpc: "2.0", id: stringId, method: "apprentice/status/get" }
        });
        const pending = withIds.map((w) => engine.waitForReply(w.id === -1 ? stringId : w.id));
        for (const w of withIds) {
            engine.writeBody(w.body);
            counts.envelopes++;
        }
        const replies = await Promise.all(pending);
        replies.forEach((r) => assertProperReply(r, "envelope"));
        assert.equal(engine.alive, true);
        await requests([{ method: "apprentice/status/get", params: undefined }], "after envelopes");
    });

    it("tracks huge, binary and badly encoded documents, with out-of-range edits, without crashing", async () => {
        const docs: [string, string][] = [
            ["file:///fuzz/huge.ts", "x".repeat(5 * 1024 * 1024)],
            [
                "file:///fuzz/binary.bin",
                Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919) & 0xff)).toString(
                    "latin1"
                )
            ],
            ["file:///fuzz/nul.ts", "a\u0000b\u0000".repeat(1000)],
            ["file:///fuzz/surrogates.ts", "\ud800x\udc00y\ud83d".repeat(1000)],
            ["file:///fuzz/lines.ts", "\n".repeat(200_000)]
        ];
        for (const [uri, text] of docs) {
            engine.notify("textDocument/didOpen", {
                textDocument: { uri, languageId: "typescript", version: 1, text }
            });
            for (const change of [
                {
                    range: {
                        start: { line: 1e9, character: 1e9 },
                        end: { line: 1e9 + 1, character: 0 }
                    },
                    text: "end"
                },
                {
                    range: { start: { line: 5, character: 0 }, end: { line: 0, character: 0 } },
                    text: "reversed"
                },
                {
                    range: { start: { line: -3, character: -3 }, end: { line: -1, character: -1 } },
                    text: "negative"
                },
                {
                    range: {
                        start: { line: 0.5, character: Number.MAX_SAFE_INTEGER },
                        end: { line: 0, character: 1 }
                    },
                    text: "\ud800"
                },
                { text: "full replacement \u0000" }
            ]) {
                engine.notify("textDocument/didChange", {
                    textDocument: { uri, version: 2 },
                    contentChanges: [change]
                });
                counts.notifications++;
            }
            engine.notify("textDocument/didChange", {
                textDocument: { uri, version: 1 },
                contentChanges: [{ text: "an older version" }]
            });
            counts.notifications += 2;
            await requests(
                [
                    {
                        method: "textDocument/inlineCompletion",
                        params: {
                            textDocument: { uri },
                            position: { line: 0, character: 3 },
                            context: { triggerKind: 2 }
                        }
                    },
                    {
                        method: "textDocument/hover",
                        params: { textDocument: { uri }, position: { line: 1e9, character: 0 } }
                    }
                ],
                `document ${uri}`
            );
        }
        for (const [uri] of docs) engine.notify("textDocument/didClose", { textDocument: { uri } });
    });

    it(`answers every one of ${ROUNDS} mutated messages to ${FUZZ_TARGETS.length} methods`, async () => {
        engine.notify("textDocument/didOpen", valid("textDocument/didOpen"));
        // The model really runs: a valid chat turn and completion before the storm of mutations.
        await waitReady(engine);
        await requests(
            [
                { method: "apprentice/chat/send", params: valid("apprentice/chat/send") },
                {
                    method: "textDocument/inlineCompletion",
                    params: valid("textDocument/inlineCompletion")
                }
            ],
            "model check"
        );
        assert.ok(
            generated.chatTurns > 0,
            `the model answered a valid chat turn: ${JSON.stringify([...perMethod])}`
        );
        let batch: { method: string; params: unknown }[] = [];
        for (let round = 0; round < ROUNDS; round++) {
            const target = pick(random, FUZZ_TARGETS);
            const example = target.valid(
                random() < 0.8 ? DOC : String(hostileValue(random)).slice(0, 200),
                sandbox
            );
            const params = random() < 0.1 ? example : mutate(random, example);
            if (target.kind === "request") batch.push({ method: target.method, params });
            else {
                engine.notify(target.method, params);
                counts.notifications++;
            }
            if (batch.length >= 40) {
                await requests(batch, `round ${round}`);
                batch = [];
            }
        }
        await requests(batch, "last round");
    });

    it("answers every request in a burst of cancels, including cancels of unknown ids", async () => {
        for (let burst = 0; burst < 10; burst++) {
            const ids: number[] = [];
            const pending: Promise<RpcReply>[] = [];
            for (let i = 0; i < 30; i++) {
                const id = engine.takeId();
                ids.push(id);
                pending.push(engine.waitForReply(id));
                const method = i % 2 ? "apprentice/status/get" : "textDocument/inlineCompletion";
                engine.writeBody({
                    jsonrpc: "2.0",
                    id,
                    method,
                    params:
                        method === "apprentice/status/get"
                            ? undefined
                            : {
                                  textDocument: { uri: DOC },
                                  position: { line: 0, character: i },
                                  context: { triggerKind: 2 }
                              }
                });
                engine.notify("$/cancelRequest", { id });
                engine.notify("$/cancelRequest", { id: id + 10_000 });
                engine.notify("$/cancelRequest", { id: String(id) });
                counts.notifications += 3;
            }
            counts.requests += ids.length;
            (await Promise.all(pending)).forEach((r) => assertProperReply(r, "cancel burst"));
        }
        assert.equal(engine.alive, true);
    });

    it("still serves normal requests and reloads a good model afterwards, with no network contact and nothing deleted outside the sandbox", async () => {
        engine.notify("apprentice/backend/configure", {
            settings: {
                kind: "local",
                url: "",
                model: "",
                fimTemplate: "qwen",
                timeoutMs: 1000,
                fallbackToLocal: false
            }
        });
        engine.notify("workspace/didChangeConfiguration", {
            settings: { apprentice: { ...engineSettings, memoryBudgetMB: 0 } }
        });
        await waitReady(engine, 60_000, TINY);
        const status = await engine.request("apprentice/status/get");
        assert.equal((status.result as { state: string }).state, "ready", JSON.stringify(status));
        const chat = await engine.request(
            "apprentice/chat/send",
            valid("apprentice/chat/send"),
            60_000
        );
        assert.ok(
            ((chat.result as { timings?: { generatedTokens?: number } } | undefined)?.timings
                ?.generatedTokens ?? 0) > 0,
            `chat works after the fuzz: ${JSON.stringify(chat).slice(0, 300)}`
        );
        assert.equal(engine.alive, true);
        assert.ok(existsSync(TINY), "the real model file is untouched");
        const attempts = readFileSync(netLog, "utf8").trim().split("\n").filter(Boolean);
        assert.deepEqual(attempts, [], "no non-loopback connection or DNS lookup was attempted");
    });
});

/** Waits until the engine is ready (with `modelPath` loaded, when given). */
async function waitReady(
    engine: RawRpcEngine,
    timeoutMs = 60_000,
    modelPath?: string
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const reply = await engine.request("apprentice/status/get");
        const status = reply.result as { state?: string; model?: { path?: string } } | undefined;
        if (
            status?.state === "ready" &&
            (modelPath === undefined || status.model?.path === modelPath)
        )
            return;
        if (Date.now() > deadline)
            throw new Error(`Not ready within ${timeoutMs} ms: ${JSON.stringify(reply)}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
