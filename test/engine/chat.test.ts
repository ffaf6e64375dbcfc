import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import { ResponseError } from "vscode-languageserver-protocol";
import {
    ChatProgressNotification,
    ChatSendRequest,
    ChatStopRequest,
    type ChatMessage,
    type ChatProgressParams,
    type ChatSendResult
} from "../../src/shared/chatProtocol";
import { EngineProcess } from "../support/engineProcess";
import { INFERENCE_MODES, useInferenceMode } from "../support/inferenceModes";
import { requireModel } from "../support/models";

const STORIES = requireModel("stories260K.gguf");

// Each suite runs on the local model directly and as the fallback of a team server that cannot be reached.
for (const mode of INFERENCE_MODES) {
    describe(`engine chat over JSON-RPC (stories260K, ChatML fallback) [${mode}]`, () => {
        let engine: EngineProcess;
        let fallbackFrom: string | undefined;
        const progress: ChatProgressParams[] = [];
        let turn = 0;
        const send = (messages: ChatMessage[], maxTokens?: number) => {
            const turnId = `t${++turn}`;
            return {
                turnId,
                result: engine.connection.sendRequest(ChatSendRequest.type, {
                    turnId,
                    messages,
                    maxTokens
                })
            };
        };
        const partsOf = (turnId: string) => progress.filter((p) => p.turnId === turnId);

        before(async () => {
            engine = EngineProcess.spawn();
            engine.connection.onNotification(ChatProgressNotification.type, (p) => {
                progress.push(p);
            });
            // A small context keeps prompt evaluation short on a loaded machine; trimming starts sooner.
            await engine.initialize({
                modelPath: STORIES,
                contextSize: 512,
                threads: 1,
                gpu: "off"
            });
            const ready = await engine.waitForSettled(60_000, 0);
            assert.equal(ready.state, "ready", JSON.stringify(ready));
            fallbackFrom = await useInferenceMode(engine, mode);
        });
        after(async () => {
            await engine.shutdown();
        });

        it("streams several chunks, then ends with timings and the template's name", async () => {
            const { turnId, result } = send(
                [{ role: "user", text: "Tell me a story about a cat." }],
                60
            );
            const answer = await result;
            const parts = partsOf(turnId);
            assert.ok(parts.length >= 3, `several chunks streamed (got ${parts.length})`);
            assert.equal(
                parts.map((p) => p.text).join(""),
                answer.text + answer.thinking,
                "the stream adds up to the answer"
            );
            assert.ok(answer.text.trim().length > 0, "the answer has text");
            assert.match(answer.template, /ChatML.*fallback/);
            assert.ok(answer.timings.generatedTokens > 1 && answer.timings.generatedTokens <= 60);
            assert.ok(answer.timings.tokensPerSecond > 0);
            assert.ok(
                answer.timings.timeToFirstTokenMs >= 0 &&
                    answer.timings.timeToFirstTokenMs <= answer.timings.totalMs
            );
            assert.ok(answer.timings.promptTokens > 5);
            assert.equal(answer.trimmed, undefined);
            assert.equal(
                answer.fallbackFrom,
                fallbackFrom,
                "a fallback answer says which server stood down"
            );
        });

        it("stop mid-turn ends it quickly, and the next turn works", async () => {
            const { turnId, result } = send(
                [{ role: "user", text: "Once upon a time there was a dog." }],
                10_000
            );
            while (partsOf(turnId).length < 2) await new Promise((r) => setTimeout(r, 5));
            const stopped = await engine.connection.sendRequest(ChatStopRequest.type, { turnId });
            assert.equal(stopped.stopped, true);
            const answer = await result;
            assert.equal(answer.stopReason, "stopped");
            const next = send(
                [
                    { role: "user", text: "Once upon a time there was a dog." },
                    { role: "assistant", text: answer.text },
                    { role: "user", text: "What happened next?" }
                ],
                20
            );
            const second = await next.result;
            assert.ok(second.text.length > 0);
            assert.notEqual(second.stopReason, "stopped");
        });

        it("LSP cancellation stops a turn", async () => {
            const { CancellationTokenSource } = await import("vscode-languageserver-protocol");
            const source = new CancellationTokenSource();
            const turnId = `t${++turn}`;
            const pending = engine.connection.sendRequest(
                ChatSendRequest.type,
                {
                    turnId,
                    messages: [{ role: "user", text: "Lily went to the park." }],
                    maxTokens: 10_000
                },
                source.token
            );
            while (partsOf(turnId).length < 2) await new Promise((r) => setTimeout(r, 5));
            source.cancel();
            await assert.rejects(pending, (e: ResponseError<unknown>) => e.code === -32800);
            // The engine is free again: a new turn answers.
            const after = send([{ role: "user", text: "Tom had a ball." }], 10);
            const answer: ChatSendResult = await after.result;
            assert.ok(answer.timings.generatedTokens > 0);
        });

        it("a conversation longer than the context is trimmed by tokens (oldest first), keeps the attached code, and still answers", async () => {
            const long = "The little bird sang a song in the tree every day. ".repeat(30);
            const messages: ChatMessage[] = [];
            for (let i = 0; i < 8; i++)
                messages.push(
                    { role: "user", text: `Question ${i}: ${long}` },
                    { role: "assistant", text: `Answer ${i}: ${long}` }
                );
            messages.push({
                role: "user",
                text: "What does this do?",
                attachments: [
                    {
                        name: "a.ts",
                        languageId: "typescript",
                        startLine: 1,
                        endLine: 1,
                        text: "const cat = 1;"
                    }
                ]
            });
            const { result } = send(messages, 20);
            const answer = await result;
            assert.ok(answer.trimmed, "the answer says something was left out");
            assert.ok(
                answer.trimmed.droppedMessages >= 2 &&
                    answer.trimmed.droppedMessages < messages.length
            );
            assert.equal(answer.trimmed.truncatedAttachmentChars, 0, "the selected code is kept");
            assert.match(answer.trimmed.message, /left out/);
            assert.ok(answer.timings.generatedTokens > 0);
        });

        it("an attachment too big for the context is shortened from the middle, with a note", async () => {
            const code = Array.from({ length: 400 }, (_, i) => `let x${i} = ${i};`).join("\n");
            const { result } = send(
                [
                    {
                        role: "user",
                        text: "Explain.",
                        attachments: [{ name: "big.js", languageId: "javascript", text: code }]
                    }
                ],
                20
            );
            const answer = await result;
            assert.ok(
                answer.trimmed && answer.trimmed.truncatedAttachmentChars > 0,
                JSON.stringify(answer.trimmed)
            );
            assert.match(answer.trimmed.message, /cut from the middle/);
        });

        it("a model reload mid-turn ends the turn as stopped, keeps its text, and the next turn uses the new model", async () => {
            const { turnId, result } = send(
                [{ role: "user", text: "Sara found a red box." }],
                10_000
            );
            while (partsOf(turnId).length < 2) await new Promise((r) => setTimeout(r, 5));
            const since = engine.statuses.length;
            await engine.changeSettings({
                modelPath: STORIES,
                contextSize: 256,
                threads: 1,
                gpu: "off"
            });
            const answer = await result;
            assert.equal(answer.stopReason, "stopped");
            assert.equal(
                answer.text + answer.thinking,
                partsOf(turnId)
                    .map((p) => p.text)
                    .join("")
            );
            const ready = await engine.waitForSettled(60_000, since);
            assert.equal(ready.state === "ready" && ready.model.contextSize, 256);
            const next = await send([{ role: "user", text: "Sara found a red box." }], 10).result;
            assert.ok(next.timings.generatedTokens > 0);
        });

        it("a malformed request gets a named error", async () => {
            await assert.rejects(
                engine.connection.sendRequest(ChatSendRequest.method, {
                    turnId: "bad",
                    messages: []
                }),
                (e: ResponseError<{ code: string }>) =>
                    e.data?.code === "badRequest" && /messages/.test(e.message)
            );
        });
    });

    describe(`engine chat without a model [${mode}]`, () => {
        let engine: EngineProcess;
        before(async () => {
            engine = EngineProcess.spawn();
            await engine.initialize({ modelPath: "", threads: 1, gpu: "off" });
            await engine.waitForSettled(60_000, 0);
            await useInferenceMode(engine, mode);
        });
        after(async () => {
            await engine.shutdown();
        });

        it("answers with a clear noModel error that says what to do", async () => {
            await assert.rejects(
                engine.connection.sendRequest(ChatSendRequest.type, {
                    turnId: "x",
                    messages: [{ role: "user", text: "hi" }]
                }),
                (e: ResponseError<{ code: string; action: string }>) =>
                    e.data?.code === "noModel" &&
                    /No model/.test(e.message) &&
                    /Select Model File/.test(e.data.action)
            );
        });
    });
}
