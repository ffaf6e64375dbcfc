import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import { CancellationTokenSource } from "vscode-languageserver-protocol/node";
import {
    CompletionPrefetchNotification,
    UNSUPPORTED_MESSAGE,
    type CompletionTimings
} from "../../src/shared/completionProtocol";
import { CompletionClient, endOf } from "../support/completionClient";
import { EngineProcess } from "../support/engineProcess";
import { INFERENCE_MODES, useInferenceMode, type InferenceMode } from "../support/inferenceModes";
import { requireModel } from "../support/models";

const TINY = requireModel("tiny-fim-random.gguf");
const STORIES = requireModel("stories260K.gguf");
const SHAPE = requireModel("shape-135m-q8_0.gguf");

const SOURCE = [
    "export function total(values: number[]): number {",
    "    let sum = 0;",
    "    for (const value of values) {",
    "        "
].join("\n");
const AFTER = "\n    }\n    return sum;\n}\n";

async function startEngine(
    modelPath: string,
    contextSize: number,
    mode: InferenceMode
): Promise<{ engine: EngineProcess; client: CompletionClient; fallbackFrom: string | undefined }> {
    const engine = EngineProcess.spawn();
    const init = await engine.initialize({ modelPath, threads: 1, gpu: "off", contextSize });
    assert.equal(
        init.capabilities.inlineCompletionProvider,
        true,
        "inline completion is advertised"
    );
    const ready = await engine.waitForSettled(120_000, 0);
    assert.equal(ready.state, "ready", JSON.stringify(ready));
    const fallbackFrom = await useInferenceMode(engine, mode);
    return { engine, client: new CompletionClient(engine), fallbackFrom };
}

// Each suite runs on the local model directly and as the fallback of a team server that cannot be reached.
for (const mode of INFERENCE_MODES) {
    describe(`inline completion with a FIM model (tiny-fim-random) [${mode}]`, () => {
        let engine: EngineProcess;
        let client: CompletionClient;
        let fallbackFrom: string | undefined;
        const uri = "file:///work/sum.ts";
        before(async () => {
            ({ engine, client, fallbackFrom } = await startEngine(TINY, 2048, mode));
            await client.open(uri, SOURCE + AFTER);
        });
        after(async () => {
            await engine.shutdown();
        });

        it("answers with an item and the timings of its generation", async () => {
            const result = await client.complete(uri, endOf(SOURCE), {
                minConfidence: 0,
                maxTokens: 24
            });
            const meta = result.apprentice;
            assert.ok(meta, "the result carries Apprentice's metadata");
            assert.ok(meta.state === "ok" || meta.state === "empty", JSON.stringify(meta));
            const t = meta.timings!;
            assert.equal(t.source, "model");
            assert.equal(
                t.fallbackFrom,
                fallbackFrom,
                "a fallback answer says which server stood down"
            );
            assert.ok(t.promptTokens > 20, `prompt tokens: ${t.promptTokens}`);
            assert.equal(t.evaluatedTokens + t.reusedTokens, t.promptTokens);
            assert.ok(
                t.generatedTokens > 0 && t.generatedTokens <= 24,
                `generated ${t.generatedTokens}`
            );
        });

        it("answers the same position again from the cache, with no model call", async () => {
            const before = await client.stats();
            const result = await client.complete(uri, endOf(SOURCE), {
                minConfidence: 0,
                maxTokens: 24
            });
            assert.equal(result.apprentice?.timings?.source, "cache");
            const afterStats = await client.stats();
            assert.equal(afterStats.modelCalls, before.modelCalls, "no model call");
            assert.equal(afterStats.cacheHits, before.cacheHits + 1);
        });

        it("serves typing along a suggestion without a model call", async () => {
            // Find a position where the model proposes at least two characters.
            let typed: string | undefined;
            let text = "";
            for (const prefix of [
                SOURCE,
                SOURCE + "sum",
                SOURCE + "sum +",
                "// numbers\n" + SOURCE
            ]) {
                const result = await client.complete(
                    uri,
                    endOf(prefix),
                    { minConfidence: 0, maxTokens: 24 },
                    false
                );
                await client.change(uri, prefix + AFTER);
                const fresh = await client.complete(uri, endOf(prefix), {
                    minConfidence: 0,
                    maxTokens: 24
                });
                const item = fresh.items[0] ?? result.items[0];
                if (item && typeof item.insertText === "string" && item.insertText.length >= 2) {
                    text = prefix;
                    typed = item.insertText;
                    break;
                }
            }
            assert.ok(typed, "the model proposed a suggestion of two or more characters somewhere");
            const before = await client.stats();
            const next = text + typed[0];
            await client.change(uri, next + AFTER);
            const result = await client.complete(uri, endOf(next), {
                minConfidence: 0,
                maxTokens: 24
            });
            assert.equal(
                result.apprentice?.timings?.source,
                "typingAlong",
                JSON.stringify(result.apprentice)
            );
            assert.equal(result.items[0]?.insertText, typed.slice(1));
            assert.equal((await client.stats()).modelCalls, before.modelCalls, "no model call");
        });

        it("computes the suggestion that follows a shown one ahead: right after accepting it, the next answer comes from the cache", async () => {
            let prefix = "";
            let shown: string | undefined;
            for (const head of ["// ahead\n", "// ahead 2\n", "// ahead 3\n", "/* ahead */\n"]) {
                prefix = head + SOURCE;
                await client.change(uri, prefix + AFTER);
                const result = await client.complete(uri, endOf(prefix), {
                    minConfidence: 0,
                    maxTokens: 12
                });
                const text = result.items[0]?.insertText;
                if (typeof text === "string" && text.trim() !== "") {
                    shown = text;
                    break;
                }
            }
            assert.ok(shown, "the model showed a suggestion somewhere");
            const before = await client.stats();
            const accepted = prefix + shown;
            await client.change(uri, accepted + AFTER);
            const next = await client.complete(uri, endOf(accepted), {
                minConfidence: 0,
                maxTokens: 12
            });
            const stats = await client.stats();
            assert.equal(
                next.apprentice?.timings?.source,
                "cache",
                JSON.stringify(next.apprentice)
            );
            assert.equal(
                stats.modelCalls,
                before.modelCalls,
                "no model call for the request after accepting"
            );
            assert.ok(
                stats.ahead && stats.ahead.started >= 1 && stats.ahead.completed >= 1,
                JSON.stringify(stats.ahead)
            );
        });

        it("returns up to three different alternatives on an explicit trigger", async () => {
            const text = "// alternatives\n" + SOURCE;
            await client.change(uri, text + AFTER);
            const result = await client.complete(
                uri,
                endOf(text),
                { minConfidence: 0, maxTokens: 12 },
                true
            );
            assert.ok(
                result.items.length >= 1 && result.items.length <= 3,
                `${result.items.length} items`
            );
            const texts = result.items.map((i) => i.insertText);
            assert.equal(new Set(texts).size, texts.length, "alternatives differ");
        });

        it("hides suggestions below the confidence threshold", async () => {
            const text = "// confidence\n" + SOURCE;
            await client.change(uri, text + AFTER);
            const result = await client.complete(uri, endOf(text), {
                minConfidence: 1,
                maxTokens: 12
            });
            assert.equal(result.items.length, 0);
            assert.ok(
                ["lowConfidence", "empty"].includes(result.apprentice!.state),
                result.apprentice!.state
            );
        });

        it("measures each suggestion's confidence only while the filter is on", async () => {
            // Different text each time: the result cache would answer a repeated place.
            const on = "// measured\n" + SOURCE;
            await client.change(uri, on + AFTER);
            const measured = await client.complete(uri, endOf(on), {
                minConfidence: Number.MIN_VALUE,
                maxTokens: 8
            });
            assert.ok(measured.items.length >= 1, "the smallest threshold hides nothing");
            const confidence = measured.items[0]!.apprentice?.confidence ?? -1;
            assert.ok(confidence > 0 && confidence < 1, `measured: ${confidence}`);
            const off = "// not measured\n" + SOURCE;
            await client.change(uri, off + AFTER);
            const unmeasured = await client.complete(uri, endOf(off), {
                minConfidence: 0,
                maxTokens: 8
            });
            assert.ok(unmeasured.items.length >= 1);
            assert.equal(
                unmeasured.items[0]!.apprentice?.confidence,
                1,
                "filter off: not measured"
            );
        });

        it("does not complete in files that may hold secrets", async () => {
            const secret = "file:///work/.env";
            await client.open(secret, "API_KEY=abc123\nDB_PASSWORD=", "dotenv");
            const result = await client.complete(
                secret,
                { line: 1, character: 12 },
                { minConfidence: 0 },
                true
            );
            assert.equal(result.items.length, 0);
            assert.equal(result.apprentice?.state, "skipped");
            assert.match(result.apprentice?.message ?? "", /secret/);
        });

        it("skips binary files and does not hang on hostile text", async () => {
            const binary = "file:///work/blob.bin";
            await client.open(binary, "abc\u0000\u0001\u0002def\n".repeat(100), "plaintext");
            const result = await client.complete(
                binary,
                { line: 5, character: 3 },
                { minConfidence: 0 }
            );
            assert.equal(result.apprentice?.state, "skipped");
            const huge = "file:///work/huge.js";
            const line = "x".repeat(3_000_000);
            await client.open(huge, `const a = 1;\n${line}\n`, "javascript");
            const onHugeLine = await client.complete(
                huge,
                { line: 1, character: 2_000_000 },
                { minConfidence: 0, maxTokens: 4 },
                true
            );
            assert.ok(onHugeLine.apprentice, "answered");
            const automatic = await client.complete(
                huge,
                { line: 1, character: 2_000_000 },
                { minConfidence: 0, maxTokens: 4 }
            );
            assert.equal(
                automatic.apprentice?.state,
                "skipped",
                "a file over the size limit gets no automatic completion"
            );
        });
    });

    describe(`inline completion: KV cache reuse and cancellation (shape-135m) [${mode}]`, () => {
        let engine: EngineProcess;
        let client: CompletionClient;
        const uri = "file:///work/reuse.ts";
        const filler = Array.from(
            { length: 40 },
            (_, i) => `const value${i} = compute(${i}, "item-${i}");`
        ).join("\n");
        before(async () => {
            ({ engine, client } = await startEngine(SHAPE, 2048, mode));
            await client.open(uri, `${filler}\n${SOURCE}${AFTER}`);
        });
        after(async () => {
            await engine.shutdown();
        });

        it("a one-character edit on the same line evaluates only a handful of tokens; a jump to another line evaluates more", async () => {
            const text = `${filler}\n${SOURCE}`;
            const first = await client.complete(uri, endOf(text), {
                minConfidence: 0,
                maxTokens: 4
            });
            const t1 = first.apprentice!.timings!;
            assert.equal(t1.source, "model");
            assert.ok(t1.evaluatedTokens > 200, `first request evaluated ${t1.evaluatedTokens}`);
            const edited = text + "q";
            await client.change(uri, edited + AFTER);
            const second = await client.complete(uri, endOf(edited), {
                minConfidence: 0,
                maxTokens: 4
            });
            const t2 = second.apprentice!.timings!;
            assert.equal(t2.source, "model");
            // The current line sits after the FIM middle token: only its changed tail is evaluated again.
            assert.ok(
                t2.evaluatedTokens >= 1 && t2.evaluatedTokens <= 6,
                `one char evaluated ${t2.evaluatedTokens} of ${t2.promptTokens}`
            );
            assert.equal(t2.evaluatedTokens + t2.reusedTokens, t2.promptTokens);
            // Another line: the lines before it, the suffix and the line are laid out anew after that point.
            const lines = edited.split("\n");
            const jump = { line: lines.length - 3, character: lines[lines.length - 3].length };
            const third = await client.complete(uri, jump, { minConfidence: 0, maxTokens: 4 });
            const t3 = third.apprentice!.timings!;
            assert.equal(t3.source, "model");
            assert.ok(
                t3.evaluatedTokens > 3 * t2.evaluatedTokens && t3.evaluatedTokens > 10,
                `jump evaluated ${t3.evaluatedTokens}, one char ${t2.evaluatedTokens}`
            );
            assert.ok(
                t3.reusedTokens > t1.promptTokens / 2,
                `the lines above stay cached: reused ${t3.reusedTokens} of ${t3.promptTokens}`
            );
        });

        it("moving down line by line, the prefix's cut jumps, yet the cached lines are shifted into place instead of evaluated again", async () => {
            const cutUri = "file:///work/cut.ts";
            const lines = Array.from(
                { length: 80 },
                (_, i) => `    total += weight(${i}) * factor("row-${i}");`
            );
            const text = `function sum() {\n    let total = 0;\n${lines.join("\n")}\n    return total;\n}\n`;
            await client.open(cutUri, text);
            const docLines = text.split("\n");
            const at = (line: number) => ({ line, character: docLines[line].length });
            const options = { minConfidence: 0, maxTokens: 2 };
            const first = (await client.complete(cutUri, at(50), options)).apprentice!.timings!;
            const moves: CompletionTimings[] = [];
            // The cut moves in steps of 8 lines: ten moves of one line cross at least one step.
            for (let line = 51; line <= 60; line++)
                moves.push((await client.complete(cutUri, at(line), options)).apprentice!.timings!);
            const summary = moves.map((m) => `${m.evaluatedTokens}/${m.promptTokens}`).join(" ");
            console.log(`one line down at a time, prompt tokens evaluated/total: ${summary}`);
            for (const moved of moves) {
                assert.equal(moved.source, "model");
                assert.equal(moved.evaluatedTokens + moved.reusedTokens, moved.promptTokens);
                // Without the shift, the move where the cut jumps reuses only the head (context chunks and <PRE>, at most a quarter).
                assert.ok(
                    moved.reusedTokens > moved.promptTokens / 3,
                    `evaluated/prompt per move: ${summary} (first request evaluated ${first.evaluatedTokens})`
                );
            }
        });

        it("where the cursor rests, the prompt is prefetched into the KV cache: the first keystroke there evaluates a few tokens", async () => {
            const restUri = "file:///work/rest.ts";
            const text = `${filler}\n// rest here\n${SOURCE}`;
            await client.open(restUri, text + AFTER);
            const before = (await client.stats()).prefetch!;
            await engine.connection.sendNotification(CompletionPrefetchNotification.type, {
                textDocument: { uri: restUri },
                position: endOf(text)
            });
            for (
                let i = 0;
                i < 600 && (await client.stats()).prefetch!.completed === before.completed;
                i++
            )
                await new Promise((r) => setTimeout(r, 50));
            assert.equal(
                (await client.stats()).prefetch!.completed,
                before.completed + 1,
                "the prefetch completed"
            );
            const typed = text + "s";
            await client.change(restUri, typed + AFTER);
            const first = (
                await client.complete(restUri, endOf(typed), { minConfidence: 0, maxTokens: 2 })
            ).apprentice!.timings!;
            assert.equal(first.source, "model");
            assert.ok(
                first.evaluatedTokens <= 6 && first.reusedTokens > 200,
                `first keystroke evaluated ${first.evaluatedTokens}, reused ${first.reusedTokens}`
            );
        });

        it("a newer request cancels the one in flight and is answered", async () => {
            const text = `${filler}\n// cancel\n${SOURCE}`;
            await client.change(uri, text + AFTER);
            const source = new CancellationTokenSource();
            const before = await client.stats();
            const first = client
                .complete(
                    uri,
                    endOf(text),
                    {
                        minConfidence: 0,
                        maxTokens: 400,
                        maxLines: 100,
                        timeAfterFirstLineMs: 60_000
                    },
                    true,
                    source.token
                )
                .then(
                    (r) => r.apprentice?.state,
                    (e: { code?: number }) =>
                        e.code === -32800 ? "cancelled" : `error ${String(e)}`
                );
            await new Promise((resolve) => setTimeout(resolve, 150));
            source.cancel();
            const next = text + "x";
            await client.change(uri, next + AFTER);
            const second = await client.complete(uri, endOf(next), {
                minConfidence: 0,
                maxTokens: 4
            });
            assert.equal(await first, "cancelled");
            assert.ok(
                second.apprentice && ["ok", "empty"].includes(second.apprentice.state),
                JSON.stringify(second.apprentice)
            );
            const stats = await client.stats();
            assert.equal(stats.cancelled, before.cancelled + 1);
        });
    });

    describe(`inline completion with a model without FIM tokens (stories260K) [${mode}]`, () => {
        let engine: EngineProcess;
        let client: CompletionClient;
        before(async () => {
            ({ engine, client } = await startEngine(STORIES, 256, mode));
        });
        after(async () => {
            await engine.shutdown();
        });

        it("answers every request with the clear unsupported state, not an error", async () => {
            const uri = "file:///work/story.ts";
            await client.open(uri, SOURCE + AFTER);
            const results = await Promise.all(
                Array.from({ length: 10 }, () =>
                    client.complete(uri, endOf(SOURCE), { minConfidence: 0 })
                )
            );
            for (const result of results) {
                assert.equal(result.items.length, 0);
                assert.equal(result.apprentice?.state, "unsupported");
                assert.equal(result.apprentice?.message, UNSUPPORTED_MESSAGE);
            }
            assert.equal((await client.stats()).fimSupported, false);
        });
    });
}
