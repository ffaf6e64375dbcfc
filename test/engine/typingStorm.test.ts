/**
 * A typing storm against the real engine: 2,000 inline-completion requests a few milliseconds
 * apart, each cancelling the one before, with an edit between them. Every request is answered
 * (a result, possibly empty, or RequestCancelled), the engine stays up, and RSS returns near its
 * level before the storm. At most one generation runs at a time and nothing queues (the engine's
 * gate counters), and the last keystroke is answered by the model. How fast it comes compared with
 * an unloaded keystroke is printed as a ratio (speed belongs to benchmarks, not assertions).
 */
import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import { requireModel } from "../support/models";
import type {
    ApprenticeInlineCompletionList,
    CompletionTimings,
    EngineCompletionStats
} from "../../src/shared/completionProtocol";
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
        const init = await engine.request("initialize", {
            processId: null,
            capabilities: {},
            initializationOptions: {
                settings: { modelPath: TINY, threads: 1, gpu: "off", contextSize: 1024 }
            }
        });
        hasCompletion = Boolean(
            (init.result as { capabilities?: { inlineCompletionProvider?: unknown } }).capabilities
                ?.inlineCompletionProvider
        );
        engine.notify("initialized", {});
        for (let i = 0; i < 600; i++) {
            if (
                ((await engine.request("apprentice/status/get")).result as { state: string })
                    .state === "ready"
            )
                break;
            await new Promise((r) => setTimeout(r, 100));
        }
        engine.notify("textDocument/didOpen", {
            textDocument: {
                uri: URI,
                languageId: "typescript",
                version: 1,
                text: "function add(a: number, b: number) {\n    return \n}\n"
            }
        });
    });
    after(async () => {
        await engine.shutdown();
    });

    const AUTOMATIC = 2;
    let version = 1;
    let column = 11;
    /** Types one character at the end of line 1, as the editor reports it. */
    const type = (char: string) => {
        engine.notify("textDocument/didChange", {
            textDocument: { uri: URI, version: ++version },
            contentChanges: [
                {
                    range: {
                        start: { line: 1, character: column },
                        end: { line: 1, character: column }
                    },
                    text: char
                }
            ]
        });
        column++;
    };
    const completionParams = () => ({
        textDocument: { uri: URI },
        position: { line: 1, character: column },
        context: { triggerKind: AUTOMATIC }
    });

    it(`${STORM} completion requests a few ms apart, each cancelling the one before`, async () => {
        assert.ok(hasCompletion, "the engine advertises inlineCompletionProvider");
        // Unloaded: one keystroke, then wait for the answer, five times.
        const unloaded: { ms: number; evaluated: number }[] = [];
        for (const char of "xyzzy") {
            type(char);
            const started = performance.now();
            const reply = await engine.request(
                "textDocument/inlineCompletion",
                completionParams(),
                120_000
            );
            assertAnswer(reply);
            unloaded.push({
                ms: performance.now() - started,
                evaluated: timingsOf(reply)?.evaluatedTokens ?? -1
            });
        }
        const before = (await rssBytes(engine.pid))!;
        const pending: Promise<RpcReply>[] = [];
        let previous: number | undefined;
        let lastSent = 0;
        for (let i = 0; i < STORM; i++) {
            type("abcdefghijklmnopqrstuvwxyz;. ()"[i % 31]);
            if (previous !== undefined) engine.notify("$/cancelRequest", { id: previous });
            const id = engine.takeId();
            pending.push(engine.waitForReply(id, 300_000));
            lastSent = performance.now();
            engine.writeBody({
                jsonrpc: "2.0",
                id,
                method: "textDocument/inlineCompletion",
                params: completionParams()
            });
            previous = id;
            if (i < STORM - 1) await new Promise((r) => setTimeout(r, 2 + (i % 4)));
        }
        const last = await pending[pending.length - 1];
        const lastMs = performance.now() - lastSent;
        const replies = await Promise.all(pending);
        replies.forEach(assertAnswer);
        const cancelled = replies.filter(
            (r) => r.error?.code === -32800 || stateOf(r) === "cancelled"
        ).length;
        const answered = replies.length - cancelled;
        await new Promise((r) => setTimeout(r, 1000));
        const afterRss = (await rssBytes(engine.pid))!;
        const stats = (await engine.request("apprentice/completion/stats"))
            .result as EngineCompletionStats;
        const median = [...unloaded].sort((a, b) => a.ms - b.ms)[2];
        const lastTimings = timingsOf(last);
        console.log(
            `typing storm: ${STORM} requests: ${cancelled} cancelled, ${answered} answered; ` +
                `generations at once: at most ${stats.peakRunning} running, ${stats.peakWaiting} waiting; ` +
                `one keystroke unloaded: median ${median.ms.toFixed(0)} ms (${unloaded.map((u) => u.ms.toFixed(0)).join(" ")}), prompt tokens evaluated ${unloaded.map((u) => u.evaluated).join(" ")}; ` +
                `last keystroke of the storm: ${lastMs.toFixed(0)} ms (ratio ${(lastMs / median.ms).toFixed(2)}), ${lastTimings?.evaluatedTokens ?? "?"} evaluated, source ${lastTimings?.source ?? stateOf(last)}; ` +
                `RSS before ${(before / MiB).toFixed(1)} MiB, after ${(afterRss / MiB).toFixed(1)} MiB`
        );
        assert.equal(stats.peakRunning, 1, "one generation at a time");
        assert.ok(
            (stats.peakWaiting ?? Infinity) <= 2,
            `nothing queues: at most ${stats.peakWaiting} generations waited`
        );
        assert.notEqual(stateOf(last), "cancelled", "the last keystroke is answered, not dropped");
        assert.equal(lastTimings?.source, "model", "the last keystroke is answered by the model");
        assert.ok(cancelled > STORM / 2, `most requests are cancelled by the next (${cancelled})`);
        assert.ok(
            afterRss - before < 100 * MiB,
            `RSS grew by ${((afterRss - before) / MiB).toFixed(1)} MiB`
        );
        assert.equal(engine.alive, true);
    });
});

function stateOf(reply: RpcReply): string | undefined {
    return (reply.result as ApprenticeInlineCompletionList | null)?.apprentice?.state;
}

function timingsOf(reply: RpcReply): CompletionTimings | undefined {
    return (reply.result as ApprenticeInlineCompletionList | null)?.apprentice?.timings;
}

function assertAnswer(reply: RpcReply): void {
    if (reply.error)
        assert.equal(
            reply.error.code,
            -32800,
            `a request fails only by being cancelled: ${JSON.stringify(reply.error)}`
        );
    else assert.ok(Object.prototype.hasOwnProperty.call(reply, "result"));
}
