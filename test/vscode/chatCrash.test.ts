/**
 * Nothing is lost when the engine dies during a chat turn (SIGKILL in real VS Code): the engine comes
 * back ready with the same model, the conversation keeps every earlier turn and the interrupted
 * question, and Retry answers it. Secret-looking files are not attached to the chat silently.
 */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import type { ApprenticeApi, ChatApi } from "../../src/extension/api";
import { Commands } from "../../src/extension/commandIds";
import {
    engineProcesses,
    isAlive,
    openDocument,
    testModel,
    useChatModel,
    waitFor,
    waitForReady
} from "./support";

describe("chat survives an engine crash", () => {
    // shape-135m never emits end-of-text: every answer runs to the (bounded) length limit, long enough to be killed mid-stream.
    const model = testModel("shape-135m-q8_0.gguf");
    const fixture = useChatModel("shape-135m-q8_0.gguf", 120_000);
    const posted = fixture.posted;
    let api: ApprenticeApi;
    let chat: ChatApi;
    before(async () => {
        ({ api, chat } = fixture);
        await chat.reveal();
        await vscode.commands.executeCommand(Commands.chatNewChat);
    });

    it("SIGKILL during a streaming answer: engine back with the same model, history and question kept, Retry answers", async () => {
        const first = await chat.send("def add(a, b):");
        assert.equal(first.state, "done", JSON.stringify(first));
        const victim = api.enginePid!;
        const since = posted.length;
        const pending = chat.send("def mul(a, b):");
        // Kill as soon as the answer streams: the engine is generating.
        await waitFor(
            "the answer to stream",
            () => posted.slice(since).some((m) => m.type === "delta"),
            60_000,
            5
        );
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
        const conversation = await waitFor("the conversation after Retry", () =>
            posted.slice(retrySince).find((m) => m.type === "conversation")
        );
        assert.ok(conversation.type === "conversation");
        if (conversation.type !== "conversation") return;
        const users = conversation.turns.filter((t) => t.role === "user").map((t) => t.text);
        assert.deepEqual(users, ["def add(a, b):", "def mul(a, b):"], "both questions are kept");
        assert.ok(
            conversation.turns.some(
                (t) => t.id === first.id && t.state === "done" && t.text === first.text
            ),
            "the first answer is kept"
        );
        const answer = await retried;
        assert.equal(answer.state, "done", JSON.stringify(answer));
        assert.ok(
            answer.timings && answer.timings.generatedTokens > 0,
            "the retried question was answered by the model"
        );
    });

    it("SIGKILL right after an inline completion is requested: the request ends quietly, the engine comes back, completions work again", async () => {
        assert.ok(api.completion, "the API exposes completion events");
        const events: { source?: string; generatedTokens?: number }[] = [];
        const listening = api.completion.onDidProvide((e) =>
            events.push({
                source: e.meta?.timings?.source,
                generatedTokens: e.meta?.timings?.generatedTokens
            })
        );
        try {
            const editor = await openDocument(
                "chat/crash-completion.py",
                "def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    "
            );
            editor.selection = new vscode.Selection(4, 4, 4, 4);
            const victim = api.enginePid!;
            // The trigger command resolves when the provider has answered: kill while it is still pending.
            let settled = false;
            const triggered = Promise.resolve(
                vscode.commands.executeCommand("editor.action.inlineSuggest.trigger")
            ).finally(() => {
                settled = true;
            });
            await new Promise((r) => setTimeout(r, 100));
            const midRequest = !settled;
            process.kill(victim, "SIGKILL");
            await triggered; // the editor's request ends (with nothing) instead of hanging
            console.log(
                `inline completion: engine killed ${midRequest ? "while the request was pending" : "after the request was answered"}`
            );
            if (midRequest)
                assert.equal(
                    events.length,
                    0,
                    `the interrupted request provided nothing: ${JSON.stringify(events)}`
                );
            await waitForReady(api, model, 120_000);
            events.length = 0;
            assert.notEqual(api.enginePid, victim);
            await waitFor(
                "a completion from the restarted engine",
                async () => {
                    await vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
                    return events.some((e) => e.source === "model" && (e.generatedTokens ?? 0) > 0);
                },
                60_000,
                1000
            );
        } finally {
            listening.dispose();
        }
    });

    it("does not attach a secret-looking file silently (Attach Current File and Ask About Selection)", async () => {
        await openDocument("chat/.env", "API_KEY=do-not-send\n");
        const since = posted.length;
        await vscode.commands.executeCommand(Commands.chatAttachFile);
        await vscode.commands.executeCommand(Commands.chatAskAboutSelection);
        // An ordinary file afterwards is attached: the refusal above was not a broken command.
        await openDocument("chat/ordinary.ts", "export const ok = 1;\n");
        await vscode.commands.executeCommand(Commands.chatAttachFile);
        const chips = await waitFor("the ordinary file's chip", () =>
            posted
                .slice(since)
                .find(
                    (m) =>
                        m.type === "attachments" &&
                        m.attachments.some((a) => a.name.endsWith("ordinary.ts"))
                )
        );
        const all = posted
            .slice(since)
            .flatMap((m) => (m.type === "attachments" ? m.attachments : []));
        assert.equal(
            all.filter((a) => a.name.endsWith(".env") || a.text.includes("do-not-send")).length,
            0,
            "the .env file was never attached"
        );
        assert.ok(chips.type === "attachments");
        await vscode.commands.executeCommand(Commands.chatNewChat);
    });
});
