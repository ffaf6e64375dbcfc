/**
 * The engine's memory stays bounded under a stream of requests and documents: its resident set
 * size (Linux /proc) is measured before and after; the numbers are printed, and only a generous
 * bound is asserted (RSS is noisy; a leak of what was sent would be far larger).
 */
import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import { requireModel } from "../support/models";
import { RawRpcEngine, rssBytes } from "../support/rawRpc";

const TINY = requireModel("tiny-fim-random.gguf");
const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

describe("engine memory under load", () => {
    let engine: RawRpcEngine;
    before(async () => {
        engine = new RawRpcEngine();
        await engine.request("initialize", {
            processId: null,
            capabilities: {},
            initializationOptions: {
                settings: { modelPath: TINY, threads: 1, gpu: "off", contextSize: 512 }
            }
        });
        engine.notify("initialized", {});
        for (let i = 0; i < 600; i++) {
            const reply = await engine.request("apprentice/status/get");
            if ((reply.result as { state: string }).state === "ready") break;
            await new Promise((r) => setTimeout(r, 100));
        }
    });
    after(async () => {
        await engine.shutdown();
    });

    async function settledRss(): Promise<number> {
        await engine.request("apprentice/status/get");
        await new Promise((r) => setTimeout(r, 300));
        const rss = await rssBytes(engine.pid);
        assert.ok(rss, "RSS is readable on this platform");
        return rss;
    }

    it("200 rounds of open / edit / requests / close leave RSS bounded", async () => {
        const baseline = await settledRss();
        const text = "function example(value: number): number {\n    return value * 2;\n}\n".repeat(
            3000
        ); // ~200 KB
        let peak = baseline;
        for (let round = 0; round < 200; round++) {
            const uri = `file:///memory/doc-${round}.ts`;
            engine.notify("textDocument/didOpen", {
                textDocument: { uri, languageId: "typescript", version: 1, text }
            });
            for (let v = 2; v < 6; v++) {
                engine.notify("textDocument/didChange", {
                    textDocument: { uri, version: v },
                    contentChanges: [
                        {
                            range: {
                                start: { line: v, character: 0 },
                                end: { line: v, character: 0 }
                            },
                            text: `// edit ${v}\n`
                        }
                    ]
                });
            }
            // Requests that read the document; generation and its memory are the typing storm's job
            // (a completion on a fresh 200 KB document costs about 0.2-0.5 s of prompt evaluation).
            await Promise.all([
                engine.request("textDocument/willSaveWaitUntil", {
                    textDocument: { uri },
                    reason: 1
                }),
                engine.request("apprentice/status/get")
            ]);
            engine.notify("textDocument/didClose", { textDocument: { uri } });
            if (round % 50 === 49) peak = Math.max(peak, (await rssBytes(engine.pid)) ?? 0);
        }
        const end = await settledRss();
        console.log(
            `engine RSS, 200 rounds of ~200 KB documents (${mib(200 * text.length)} sent): before ${mib(baseline)}, peak ${mib(peak)}, after ${mib(end)}, growth ${mib(end - baseline)}`
        );
        assert.ok(end - baseline < 150 * MiB, `RSS grew by ${mib(end - baseline)}`);
    });

    it("a 50 MiB document is not kept in full: its edits add no memory, and RSS stays bounded after didClose", async () => {
        const baseline = await settledRss();
        const line = "const value = compute(input) + offset; // a line of a generated file\n";
        const text = line.repeat(Math.ceil((50 * MiB) / line.length));
        const uri = "file:///memory/generated-50mb.ts";
        engine.notify("textDocument/didOpen", {
            textDocument: { uri, languageId: "typescript", version: 1, text }
        });
        await engine.request("apprentice/status/get");
        const opened = await settledRss();
        const editMs: number[] = [];
        for (let v = 2; v <= 21; v++) {
            const started = performance.now();
            engine.notify("textDocument/didChange", {
                textDocument: { uri, version: v },
                contentChanges: [
                    {
                        range: {
                            start: { line: 1000 * v, character: 0 },
                            end: { line: 1000 * v, character: 5 }
                        },
                        text: `let ${v}`
                    }
                ]
            });
            await engine.request("apprentice/status/get");
            editMs.push(performance.now() - started);
        }
        const edited = await settledRss();
        engine.notify("textDocument/didClose", { textDocument: { uri } });
        const closed = await settledRss();
        const median = [...editMs].sort((a, b) => a - b)[10]!;
        const load = (await import("node:os"))
            .loadavg()
            .map((n) => n.toFixed(1))
            .join(" ");
        console.log(
            `engine RSS with a ${mib(text.length)} document: before ${mib(baseline)}, open ${mib(opened)}, after 20 edits ${mib(edited)}, after didClose ${mib(closed)}; ` +
                `edit + round trip median ${median.toFixed(1)} ms (load ${load})`
        );
        // What the open message itself costs (its buffer and strings) stays until V8's next major collection;
        // holding the text (a 50 MiB string, its line table, a new copy per edit) would add hundreds of MiB more.
        assert.ok(edited - opened < 48 * MiB, `RSS grew by ${mib(edited - opened)} over 20 edits`);
        assert.ok(
            closed - baseline < 300 * MiB,
            `RSS after didClose is ${mib(closed - baseline)} above the start`
        );
        assert.equal(engine.alive, true);
    });

    it("40 documents of 5 MB opened and closed do not accumulate", async () => {
        const baseline = await settledRss();
        const big = "x".repeat(5 * MiB);
        for (let i = 0; i < 40; i++) {
            const uri = `file:///memory/big-${i}.ts`;
            engine.notify("textDocument/didOpen", {
                textDocument: { uri, languageId: "typescript", version: 1, text: big }
            });
            await engine.request("apprentice/status/get");
            engine.notify("textDocument/didClose", { textDocument: { uri } });
        }
        const end = await settledRss();
        console.log(
            `engine RSS, 40 × 5 MB documents (200 MB sent): before ${mib(baseline)}, after ${mib(end)}, growth ${mib(end - baseline)}`
        );
        assert.ok(
            end - baseline < 200 * MiB,
            `RSS grew by ${mib(end - baseline)}; holding every document would be ≥ 400 MiB`
        );
        assert.equal(engine.alive, true);
    });
});
