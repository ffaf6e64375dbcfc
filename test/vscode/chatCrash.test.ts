/**
 * Nothing is lost when the engine dies during a chat turn (SIGKILL in real VS Code): the engine comes
 * back ready with the same model, the conversation keeps every earlier turn and the interrupted
 * question, and Retry answers it. Secret-looking files are not attached to the chat silently.
 */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import type { ApprenticeApi, ChatApi } from "../../src/extension/api";
import { Commands } from "../../src/extension/commandIds";
import type { ToWebview } from "../../src/shared/webviewProtocol";
import { apprentice, engineProcesses, isAlive, openDocument, setSetting, testModel, waitFor, waitForReady } from "./support";

describe("chat survives an engine crash", () => {
    let api: ApprenticeApi;
    let chat: ChatApi;
    // shape-135m never emits end-of-text: every answer runs to the (bounded) length limit, long enough to be killed mid-stream.
    const model = testModel("shape-135m-q8_0.gguf");
    const posted: ToWebview[] = [];
    let subscription: vscode.Disposable;

    before(async () => {
        ({ api } = await apprentice());
        assert.ok(api.chat, "the API exposes the chat");
        chat = api.chat;
        subscription = chat.onDidPostToWebview((m) => posted.push(m));
        await setSetting("contextSize", 512);
        await setSetting("modelPath", model);
        await waitForReady(api, model, 120_000);
        await chat.reveal();
        await vscode.commands.executeCommand(Commands.chatNewChat);
    });
    after(async () => {
        subscription.dispose();
        await setSetting("contextSize", undefined);
        const tiny = testModel("tiny-fim-random.gguf");
        await setSetting("modelPath", tiny);
        await waitForReady(api, tiny);
    });

    it("SIGKILL during a streaming answer: engine back with the same model, history and question kept, Retry answers", async () => {
        const first = await chat.send("def add(a, b):");
        assert.equal(first.state, "done", JSON.stringify(first));
        const victim = api.enginePid!;
        const since = posted.length;
        const pending = chat.send("def mul(a, b):");
        // Kill as soon as the answer streams: the engine is generating.
        await waitFor("the answer to stream", () => posted.slice(since).some((m) => m.type === "delta"), 60_000, 5);
        process.kill(victim, "SIGKILL");
        const interrupted = await pending;
        assert.equal(interrupted.state, "interrupted", JSON.stringify(interrupted));
        assert.match(interrupted.error ?? "", /Retry/);
        const ready = await waitForReady(api, model, 120_000);
        assert.equal(ready.model.name, "shape-135m-q8_0.gguf");
        assert.equal(isAlive(victim), false);
        assert.deepEqual(engineProcesses(), [api.enginePid]);

        const retrySince = posted.length;
        const retried = chat.retry();
        assert.ok(retried, "there is an interrupted question to retry");
        // Retry re-sends the conversation: both questions and the first answer are still there.
        const conversation = await waitFor("the conversation after Retry", () => posted.slice(retrySince).find((m) => m.type === "conversation"));
        assert.ok(conversation.type === "conversation");
        if (conversation.type !== "conversation") return;
        const users = conversation.turns.filter((t) => t.role === "user").map((t) => t.text);
        assert.deepEqual(users, ["def add(a, b):", "def mul(a, b):"], "both questions are kept");
        assert.ok(conversation.turns.some((t) => t.id === first.id && t.state === "done" && t.text === first.text), "the first answer is kept");
        const answer = await retried;
        assert.equal(answer.state, "done", JSON.stringify(answer));
        assert.ok(answer.timings && answer.timings.generatedTokens > 0, "the retried question was answered by the model");
    });

    it("does not attach a secret-looking file silently (Attach Current File and Ask About Selection)", async () => {
        await openDocument("chat/.env", "API_KEY=do-not-send\n");
        const since = posted.length;
        await vscode.commands.executeCommand(Commands.chatAttachFile);
        await vscode.commands.executeCommand(Commands.chatAskAboutSelection);
        // An ordinary file afterwards is attached: the refusal above was not a broken command.
        await openDocument("chat/ordinary.ts", "export const ok = 1;\n");
        await vscode.commands.executeCommand(Commands.chatAttachFile);
        const chips = await waitFor("the ordinary file's chip", () => posted.slice(since).find((m) => m.type === "attachments" && m.attachments.some((a) => a.name.endsWith("ordinary.ts"))));
        const all = posted.slice(since).flatMap((m) => m.type === "attachments" ? m.attachments : []);
        assert.equal(all.filter((a) => a.name.endsWith(".env") || a.text.includes("do-not-send")).length, 0, "the .env file was never attached");
        assert.ok(chips.type === "attachments");
        await vscode.commands.executeCommand(Commands.chatNewChat);
    });
});
