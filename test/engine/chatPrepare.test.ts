/**
 * `apprentice/chat/prepare` (sent by the extension when the chat view is shown) works out the
 * model's chat format before the first question, instead of when it arrives. With a model that has
 * its own Jinja template (shape-135m), node-llama-cpp compares it with every known format, which
 * takes a moment, so it waits until no edit came for a while; the first turn's time to first token
 * with and without prepare is printed.
 */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
    ChatPrepareNotification,
    ChatSendRequest,
    type ChatSendResult
} from "../../src/shared/chatProtocol";
import { EngineProcess } from "../support/engineProcess";
import { requireModel } from "../support/models";

const SHAPE = requireModel("shape-135m-q8_0.gguf");
const QUESTION = [{ role: "user" as const, text: "What does Array.prototype.map return?" }];

async function readyEngine(): Promise<EngineProcess> {
    const engine = EngineProcess.spawn();
    await engine.initialize({ modelPath: SHAPE, threads: 1, gpu: "off", contextSize: 1024 });
    assert.equal((await engine.waitForSettled(120_000, 0)).state, "ready");
    return engine;
}

const chose = (engine: EngineProcess) => engine.logs.some((line) => line.startsWith("Chat uses"));

describe("chat prepare", () => {
    it("works out the chat format when asked and the user is not typing, before any turn; the first turn then starts sooner", async () => {
        const prepared = await readyEngine();
        let withPrepare: ChatSendResult;
        try {
            assert.equal(chose(prepared), false, "nothing chosen before prepare");
            // While the user types, preparing (which blocks the engine for a moment) waits.
            const uri = "file:///prepare/typing.ts";
            await prepared.connection.sendNotification("textDocument/didOpen", {
                textDocument: { uri, languageId: "typescript", version: 1, text: "" }
            });
            await prepared.connection.sendNotification(ChatPrepareNotification.type);
            for (let version = 2; version <= 8; version++) {
                await prepared.connection.sendNotification("textDocument/didChange", {
                    textDocument: { uri, version },
                    contentChanges: [{ text: "x".repeat(version) }]
                });
                await new Promise((r) => setTimeout(r, 200));
            }
            assert.equal(chose(prepared), false, "not prepared while edits keep coming");
            for (let i = 0; i < 600 && !chose(prepared); i++)
                await new Promise((r) => setTimeout(r, 20));
            assert.ok(
                chose(prepared),
                `the chat format was chosen on prepare: ${prepared.logs.join(" | ")}`
            );
            withPrepare = await prepared.connection.sendRequest(ChatSendRequest.type, {
                turnId: "p1",
                messages: QUESTION,
                maxTokens: 4
            });
        } finally {
            await prepared.shutdown();
        }
        const cold = await readyEngine();
        try {
            const without = await cold.connection.sendRequest(ChatSendRequest.type, {
                turnId: "c1",
                messages: QUESTION,
                maxTokens: 4
            });
            assert.equal(without.template, withPrepare.template, "the same format either way");
            console.log(
                `chat prepare: first turn time to first token ${withPrepare.timings.timeToFirstTokenMs} ms after prepare, ` +
                    `${without.timings.timeToFirstTokenMs} ms without (${withPrepare.template})`
            );
        } finally {
            await cold.shutdown();
        }
    });
});
