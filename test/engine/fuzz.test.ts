/**
 * Hostile input over real JSON-RPC to the real engine: malformed messages, wrong param types for
 * every method in FUZZ_TARGETS, out-of-range positions, huge, binary and badly encoded text,
 * bursts of cancels. Every request must get a result or a proper JSON-RPC error, the process must
 * stay alive, and normal requests must still work afterwards. Seeded, bounded, deterministic.
 */
import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import { hostileValue, mutate, pick, seededRandom } from "../support/fuzzInput";
import { FUZZ_TARGETS } from "../support/fuzzTargets";
import { requireModel } from "../support/models";
import { RawRpcEngine, type RpcReply } from "../support/rawRpc";

const TINY = requireModel("tiny-fim-random.gguf");
const SEED = Number(process.env.APPRENTICE_FUZZ_SEED ?? 20261123);
const ROUNDS = Number(process.env.APPRENTICE_FUZZ_ROUNDS ?? 5000);
const DOC = "file:///fuzz/open.ts";

const counts = { requests: 0, notifications: 0, envelopes: 0, errors: 0, results: 0 };

function assertProperReply(reply: RpcReply, context: string): void {
    const hasResult = Object.prototype.hasOwnProperty.call(reply, "result");
    assert.ok(hasResult || reply.error, `${context}: a reply has a result or an error: ${JSON.stringify(reply).slice(0, 300)}`);
    if (reply.error) {
        assert.equal(Number.isInteger(reply.error.code), true, `${context}: error code is an integer`);
        assert.equal(typeof reply.error.message, "string", `${context}: error message is a string`);
        counts.errors++;
    } else {
        counts.results++;
    }
}

describe("engine fuzz: hostile JSON-RPC never crashes or freezes the engine", () => {
    let engine: RawRpcEngine;
    const random = seededRandom(SEED);

    before(() => { engine = new RawRpcEngine(); });
    after(async () => {
        console.log(`fuzz (seed ${SEED}): ${counts.requests} requests, ${counts.notifications} notifications, ${counts.envelopes} malformed envelopes; replies: ${counts.results} results, ${counts.errors} errors`);
        await engine.shutdown();
    });

    /** Sends requests in parallel and checks each reply. */
    async function requests(batch: { method: string; params: unknown }[], context: string): Promise<RpcReply[]> {
        counts.requests += batch.length;
        const replies = await Promise.all(batch.map((r) => engine.request(r.method, r.params)));
        replies.forEach((reply, i) => assertProperReply(reply, `${context} ${batch[i].method}`));
        assert.equal(engine.alive, true, `${context}: the engine is alive`);
        return replies;
    }

    it("refuses requests before initialize with ServerNotInitialized, and drops notifications", async () => {
        const batch = FUZZ_TARGETS.filter((t) => t.kind === "request" && t.method !== "initialize")
            .flatMap((t) => [{ method: t.method, params: t.valid(DOC) }, { method: t.method, params: mutate(random, t.valid(DOC)) }]);
        for (const t of FUZZ_TARGETS.filter((x) => x.kind === "notification" && x.method !== "initialized")) {
            engine.notify(t.method, t.valid(DOC));
            counts.notifications++;
        }
        const replies = await requests(batch, "before initialize");
        for (const reply of replies) assert.equal(reply.error?.code, -32002, JSON.stringify(reply));
    });

    it("rejects a malformed initialize with an error, then accepts a good one once", async () => {
        for (const params of [null, 5, "x", [], { capabilities: "none" }, { processId: "abc", capabilities: null }]) {
            const reply = await engine.request("initialize", params);
            assertProperReply(reply, "bad initialize");
            counts.requests++;
        }
        const good = await engine.request("initialize", { processId: null, rootUri: null, capabilities: {}, initializationOptions: { settings: { modelPath: TINY, threads: 1, gpu: "off", contextSize: 512 } } });
        assert.ok(good.result, JSON.stringify(good));
        engine.notify("initialized", {});
        const again = await engine.request("initialize", { processId: null, rootUri: null, capabilities: {} });
        assert.equal(again.error?.code, -32600, `a second initialize is refused: ${JSON.stringify(again)}`);
        counts.requests += 2;
        await waitReady(engine);
        const loads = () => engine.notifications.filter((n) => n.method === "apprentice/status" && (n.params as { state: string }).state === "loading").length;
        const before = loads();
        for (let i = 0; i < 5; i++) engine.notify("initialized", {});
        await engine.request("apprentice/status/get");
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(loads(), before, "a repeated initialized notification does not load the model again");
    });

    it("survives malformed envelopes: bad JSON, wrong types, invalid UTF-8, deep nesting", async () => {
        const id = () => engine.takeId();
        const withIds: { id: number; body: unknown }[] = [];
        const blind: unknown[] = [
            "{", "}", "[]", "null", "42", "\"text\"", "{\"jsonrpc\":\"2.0\"}", "{\"jsonrpc\":\"1.0\",\"method\":\"x\"}",
            Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0x7b]), Buffer.from("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":\"\xff\"}", "latin1"),
            { jsonrpc: "2.0", method: 5 }, { jsonrpc: "2.0", method: null, params: {} }, { jsonrpc: "2.0", id: { nested: true }, method: "apprentice/status/get" },
            { jsonrpc: "2.0", id: [1], method: "apprentice/status/get" }, { jsonrpc: "2.0", id: 999_999, result: "a reply to nothing" },
            { jsonrpc: "2.0", id: 999_998, error: { code: "x" } }, [{ jsonrpc: "2.0", method: "initialized" }],
            "[".repeat(100_000), "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000),
            { jsonrpc: "2.0", method: "$/cancelRequest" }, { jsonrpc: "2.0", method: "$/cancelRequest", params: null },
            { jsonrpc: "2.0", method: "$/cancelRequest", params: "7" }, { jsonrpc: "2.0", method: "$/cancelRequest", params: { id: { x: 1 } } }
        ];
        for (const body of blind) { engine.writeBody(body); counts.envelopes++; }
        for (const [method, params] of [["apprentice/status/get", "a string"], ["apprentice/status/get", 42], ["textDocument/inlineCompletion", [1, 2, 3]], ["textDocument/hover", null], ["apprentice/status/get", [[[[[]]]]]]] as const) {
            const requestId = id();
            withIds.push({ id: requestId, body: { jsonrpc: "2.0", id: requestId, method, params } });
        }
        const stringId = `id-${id()}`;
        withIds.push({ id: -1, body: { jsonrpc: "2.0", id: stringId, method: "apprentice/status/get" } });
        const pending = withIds.map((w) => engine.waitForReply(w.id === -1 ? stringId : w.id));
        for (const w of withIds) { engine.writeBody(w.body); counts.envelopes++; }
        const replies = await Promise.all(pending);
        replies.forEach((r) => assertProperReply(r, "envelope"));
        assert.equal(engine.alive, true);
        await requests([{ method: "apprentice/status/get", params: undefined }], "after envelopes");
    });

    it("tracks huge, binary and badly encoded documents, with out-of-range edits, without crashing", async () => {
        const docs: [string, string][] = [
            ["file:///fuzz/huge.ts", "x".repeat(5 * 1024 * 1024)],
            ["file:///fuzz/binary.bin", Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919) & 0xff)).toString("latin1")],
            ["file:///fuzz/nul.ts", "a\u0000b\u0000".repeat(1000)],
            ["file:///fuzz/surrogates.ts", "\ud800x\udc00y\ud83d".repeat(1000)],
            ["file:///fuzz/lines.ts", "\n".repeat(200_000)]
        ];
        for (const [uri, text] of docs) {
            engine.notify("textDocument/didOpen", { textDocument: { uri, languageId: "typescript", version: 1, text } });
            for (const change of [
                { range: { start: { line: 1e9, character: 1e9 }, end: { line: 1e9 + 1, character: 0 } }, text: "end" },
                { range: { start: { line: 5, character: 0 }, end: { line: 0, character: 0 } }, text: "reversed" },
                { range: { start: { line: -3, character: -3 }, end: { line: -1, character: -1 } }, text: "negative" },
                { range: { start: { line: 0.5, character: Number.MAX_SAFE_INTEGER }, end: { line: 0, character: 1 } }, text: "\ud800" },
                { text: "full replacement \u0000" }
            ]) {
                engine.notify("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [change] });
                counts.notifications++;
            }
            engine.notify("textDocument/didChange", { textDocument: { uri, version: 1 }, contentChanges: [{ text: "an older version" }] });
            counts.notifications += 2;
            await requests([
                { method: "textDocument/inlineCompletion", params: { textDocument: { uri }, position: { line: 0, character: 3 }, context: { triggerKind: 2 } } },
                { method: "textDocument/hover", params: { textDocument: { uri }, position: { line: 1e9, character: 0 } } }
            ], `document ${uri}`);
        }
        for (const [uri] of docs) engine.notify("textDocument/didClose", { textDocument: { uri } });
    });

    it(`answers every one of ${ROUNDS} mutated messages to ${FUZZ_TARGETS.length} methods`, async () => {
        engine.notify("textDocument/didOpen", FUZZ_TARGETS.find((t) => t.method === "textDocument/didOpen")!.valid(DOC));
        let batch: { method: string; params: unknown }[] = [];
        for (let round = 0; round < ROUNDS; round++) {
            const target = pick(random, FUZZ_TARGETS);
            const valid = target.valid(random() < 0.8 ? DOC : String(hostileValue(random)).slice(0, 200));
            const params = random() < 0.1 ? valid : mutate(random, valid);
            if (target.kind === "request") batch.push({ method: target.method, params });
            else { engine.notify(target.method, params); counts.notifications++; }
            if (batch.length >= 40) { await requests(batch, `round ${round}`); batch = []; }
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
                engine.writeBody({ jsonrpc: "2.0", id, method, params: method === "apprentice/status/get" ? undefined : { textDocument: { uri: DOC }, position: { line: 0, character: i }, context: { triggerKind: 2 } } });
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

    it("still serves normal requests and reloads a good model afterwards", async () => {
        engine.notify("workspace/didChangeConfiguration", { settings: { apprentice: { modelPath: TINY, threads: 1, gpu: "off", contextSize: 512, memoryBudgetMB: 0 } } });
        await waitReady(engine);
        const status = await engine.request("apprentice/status/get");
        assert.equal((status.result as { state: string }).state, "ready", JSON.stringify(status));
        assert.equal(engine.alive, true);
    });
});

async function waitReady(engine: RawRpcEngine, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const reply = await engine.request("apprentice/status/get");
        const state = (reply.result as { state?: string } | undefined)?.state;
        if (state === "ready") return;
        if (Date.now() > deadline) throw new Error(`Not ready within ${timeoutMs} ms: ${JSON.stringify(reply)}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
