/** The chat in a real VS Code: the view's page loads, a prompt streams to it, Stop works, selections attach, conversations are kept. */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import type { ChatApi } from "../../src/extension/api";
import { Commands } from "../../src/extension/commandIds";
import type { ToWebview } from "../../src/shared/webviewProtocol";
import { openDocument, useChatModel, waitFor } from "./support";

describe("chat", () => {
    const fixture = useChatModel("stories260K.gguf");
    const posted = fixture.posted;
    let chat: ChatApi;
    before(() => {
        chat = fixture.chat;
    });

    it("opens the chat view; its page loads under the CSP and reports ready", async () => {
        await chat.reveal();
        assert.equal(chat.isViewReady, true);
        await waitFor("the model line says stories260K is ready", () =>
            posted.some(
                (m) =>
                    m.type === "model" &&
                    m.model.state === "ready" &&
                    m.model.name === "stories260K.gguf"
            )
        );
        assert.ok(
            posted.some((m) => m.type === "conversation"),
            "the conversation was sent to the view"
        );
    });

    it("sends a prompt and streams the answer to the view, ending with timings", async () => {
        const since = posted.length;
        const turn = await chat.send("Tell me a story about a cat.");
        const mine = posted.slice(since);
        const deltas = mine.filter(
            (m): m is Extract<ToWebview, { type: "delta" }> =>
                m.type === "delta" && m.turnId === turn.id
        );
        assert.ok(
            mine.some((m) => m.type === "turnStarted" && m.assistant.id === turn.id),
            "turnStarted came first"
        );
        assert.ok(deltas.length >= 2, `streamed in several pieces (got ${deltas.length})`);
        assert.equal(
            deltas
                .filter((d) => d.part === "text")
                .map((d) => d.text)
                .join(""),
            turn.text
        );
        assert.equal(turn.state, "done");
        assert.ok(
            turn.timings && turn.timings.generatedTokens > 0 && turn.timings.tokensPerSecond > 0
        );
        assert.ok(mine.some((m) => m.type === "turnEnded" && m.turn.id === turn.id));
    });

    it("Regenerate answers the last question again in place of its answer; answers name their model", async () => {
        const first = await chat.send("Tell me about a bird.");
        assert.equal(first.model, "stories260K.gguf");
        const since = posted.length;
        const again = await chat.regenerate?.();
        assert.ok(again, "there was an answer to regenerate");
        assert.notEqual(again.id, first.id);
        assert.equal(again.state, "done");
        assert.equal(again.model, "stories260K.gguf");
        const shown = posted
            .slice(since)
            .find(
                (m): m is Extract<ToWebview, { type: "conversation" }> => m.type === "conversation"
            );
        assert.ok(shown, "the view got the conversation again");
        assert.ok(!shown.turns.some((t) => t.id === first.id), "the old answer is gone");
        assert.equal(
            shown.turns.filter((t) => t.text === "Tell me about a bird.").length,
            1,
            "the question is asked once"
        );
        assert.equal(
            shown.turns[shown.turns.length - 1].id,
            again.id,
            "the new answer is the last turn"
        );
    });

    it("Stop ends an answer early and the next prompt still works", async () => {
        // Stop right after sending: the stop request follows the send in order, so this cannot race
        // with a short answer (stopping mid-stream is covered by test/engine/chat.test.ts).
        const pending = chat.send("Once upon a time there was a dog.");
        chat.stop();
        const stopped = await pending;
        assert.equal(stopped.state, "stopped");
        assert.ok(
            posted.some(
                (m) =>
                    m.type === "turnEnded" && m.turn.id === stopped.id && m.turn.state === "stopped"
            )
        );
        const next = await chat.send("What happened next?");
        assert.equal(next.state, "done");
    });

    it("Ask About Selection attaches the selection (file and lines) as a chip", async () => {
        const editor = await openDocument(
            "chat/sample.ts",
            "const a = 1;\nconst b = 2;\nexport const sum = a + b;\n"
        );
        editor.selection = new vscode.Selection(1, 0, 2, 25);
        const since = posted.length;
        await vscode.commands.executeCommand(Commands.chatAskAboutSelection);
        const message = await waitFor("an attachments message", () =>
            posted.slice(since).find((m) => m.type === "attachments" && m.attachments.length > 0)
        );
        assert.equal(message.type, "attachments");
        if (message.type !== "attachments") return;
        const chip = message.attachments[0];
        assert.match(chip.name, /sample\.ts$/);
        assert.equal(chip.startLine, 2);
        assert.equal(chip.endLine, 3);
        assert.equal(chip.text, "const b = 2;\nexport const sum = a + b;");
        const turn = await chat.send("What does this do?");
        assert.equal(turn.state, "done");
    });

    it("New Chat starts an empty conversation and keeps the old one in the list", async () => {
        const before = [...posted].reverse().find((m) => m.type === "conversation");
        const since = posted.length;
        await vscode.commands.executeCommand(Commands.chatNewChat);
        const fresh = await waitFor("a new conversation", () =>
            posted.slice(since).find((m) => m.type === "conversation")
        );
        assert.ok(fresh.type === "conversation" && fresh.turns.length === 0);
        if (fresh.type !== "conversation" || before?.type !== "conversation") return;
        assert.notEqual(fresh.id, before.id);
        assert.ok(
            fresh.conversations.some((c) => c.id === before.id),
            "the earlier conversation is listed"
        );
    });
});
