/**
 * A typing storm against the real engine: 2,000 inline-completion requests a few milliseconds
 * apart, each cancelling the one before, with an edit between them. Every request is answered
 * (a result, possibly empty, or RequestCancelled), the engine stays up, and RSS returns near its
 * level before the storm. How fast the last answer comes compared with an unloaded one is printed
 * as a ratio (speed belongs to benchmarks, not assertions).
 *
 * Active once the engine advertises `inlineCompletionProvider` (the completion feature); until
 * then it is skipped with a note. TODO(lead): after merging completion, this must run, not skip.
 */
import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import { requireModel } from "../support/models";
import { RawRpcEngine, rssBytes, type RpcReply } from "../support/rawRpc";

const TINY = requireModel("tiny-fim-random.gguf");
const STORM = Number(process.env.APPRENTICE_STORM_SIZE ?? 2000);
const URI = "file:///storm/main.ts";
const MiB = 1024 * 1024;

describe("typing storm", () => {
    let engine: RawRpcEngine;
    let hasCompletion = false;
    before(async () => {
        engine = new RawRpcEngine();
        const init = await engine.request("initialize", { processId: null, capabilities: {}, initializationOptions: { settings: { modelPath: TINY, threads: 1, gpu: "off", contextSize: 1024 } } });
        hasCompletion = Boolean((init.result as { capabilities?: { inlineCompletionProvider?: unknown } }).capabilities?.inlineCompletionProvider);
        engine.notify("initialized", {});
        for (let i = 0; i < 600; i++) {
            if (((await engine.request("apprentice/status/get")).result as { state: string }).state === "ready") break;
            await new Promise((r) => setTimeout(r, 100));
        }
        engine.notify("textDocument/didOpen", { textDocument: { uri: URI, languageId: "typescript", version: 1, text: "function add(a: number, b: number) {\n    return \n}\n" } });
    });
    after(async () => { await engine.shutdown(); });

    const complete = (line: number, character: number) =>
        engine.request("textDocument/inlineCompletion", { textDocument: { uri: URI }, position: { line, character }, context: { triggerKind: 1 } }, 120_000);

    it(`${STORM} completion requests a few ms apart, each cancelling the one before`, async (t) => {
        if (!hasCompletion) { t.skip("the engine does not provide inline completion yet"); return; }
        const unloaded: number[] = [];
        for (let i = 0; i < 5; i++) {
            const started = performance.now();
            assertAnswer(await complete(1, 11));
            unloaded.push(performance.now() - started);
        }
        const before = (await rssBytes(engine.pid))!;
        const pending: Promise<RpcReply>[] = [];
        let version = 1;
        let previous: number | undefined;
        let text = "";
        for (let i = 0; i < STORM; i++) {
            const char = "abcdefghijklmnopqrstuvwxyz;. ()"[i % 31];
            text += char;
            engine.notify("textDocument/didChange", { textDocument: { uri: URI, version: ++version }, contentChanges: [{ range: { start: { line: 1, character: 11 + text.length - 1 }, end: { line: 1, character: 11 + text.length - 1 } }, text: char }] });
            if (previous !== undefined) engine.notify("$/cancelRequest", { id: previous });
            const id = engine.takeId();
            pending.push(engine.waitForReply(id, 300_000));
            engine.writeBody({ jsonrpc: "2.0", id, method: "textDocument/inlineCompletion", params: { textDocument: { uri: URI }, position: { line: 1, character: 11 + text.length }, context: { triggerKind: 1 } } });
            previous = id;
            await new Promise((r) => setTimeout(r, 2 + (i % 4)));
        }
        const lastStarted = performance.now();
        const replies = await Promise.all(pending);
        const lastMs = performance.now() - lastStarted;
        replies.forEach(assertAnswer);
        const cancelled = replies.filter((r) => r.error?.code === -32800).length;
        const empty = replies.filter((r) => !r.error && isEmpty(r.result)).length;
        await new Promise((r) => setTimeout(r, 1000));
        const afterRss = (await rssBytes(engine.pid))!;
        const median = unloaded.sort((a, b) => a - b)[2];
        console.log(`typing storm: ${STORM} requests: ${cancelled} cancelled, ${empty} empty, ${STORM - cancelled - empty} with a suggestion; unloaded median ${median.toFixed(0)} ms, last after the storm ${lastMs.toFixed(0)} ms (ratio ${(lastMs / median).toFixed(2)}); RSS before ${(before / MiB).toFixed(1)} MiB, after ${(afterRss / MiB).toFixed(1)} MiB`);
        assert.ok(afterRss - before < 100 * MiB, `RSS grew by ${((afterRss - before) / MiB).toFixed(1)} MiB`);
        assert.equal(engine.alive, true);
    });
});

function isEmpty(result: unknown): boolean {
    if (result === null || result === undefined) return true;
    const items = Array.isArray(result) ? result : (result as { items?: unknown[] }).items;
    return !items || items.length === 0;
}

function assertAnswer(reply: RpcReply): void {
    if (reply.error) assert.equal(reply.error.code, -32800, `a request fails only by being cancelled: ${JSON.stringify(reply.error)}`);
    else assert.ok(Object.prototype.hasOwnProperty.call(reply, "result"));
}
