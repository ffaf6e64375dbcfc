/**
 * The chat history file in a real VS Code: a damaged file is moved aside with one warning, a new
 * history starts, the chat still answers and saves, and the saved conversation is read back.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { ChatApi } from "../../src/extension/api";
import type { DamagedFileNotice } from "../../src/extension/storage/damagedFileNotice";
import { useChatModel, waitFor } from "./support";

describe("chat history file", () => {
    const fixture = useChatModel("stories260K.gguf");
    const posted = fixture.posted;
    let chat: ChatApi;
    let history: NonNullable<ChatApi["history"]>;
    before(async () => {
        chat = fixture.chat;
        assert.ok(chat.history, "the API exposes the chat history");
        history = chat.history;
        await chat.reveal();
    });

    it("lives in the extension's workspace storage as chat-history.json", () => {
        assert.equal(path.basename(history.file), "chat-history.json");
        assert.ok(path.isAbsolute(history.file));
    });

    it("a damaged file is moved aside with one warning; the chat still answers and saves a new conversation", async () => {
        await history.reload(); // writes anything pending from earlier suites before the file is damaged below
        const garbage = Buffer.concat([
            Buffer.from('{"version":1,"data":[{"id":"c-1","turns":[{"te'),
            Buffer.from([0, 0xff, 0xfe, 7])
        ]);
        mkdirSync(path.dirname(history.file), { recursive: true }); // run alone, nothing was saved yet
        writeFileSync(history.file, garbage);
        const notices: DamagedFileNotice[] = [];
        const listening = history.onDidMoveAside((n) => notices.push(n));
        try {
            const since = posted.length;
            const notice = await history.reload();
            assert.ok(notice?.movedTo, `the file was moved aside: ${JSON.stringify(notice)}`);
            assert.equal(path.dirname(notice.movedTo), path.dirname(history.file));
            assert.match(path.basename(notice.movedTo), /^chat-history\.corrupt-.+\.json$/);
            assert.deepEqual(
                readFileSync(notice.movedTo),
                garbage,
                "the damaged file is kept as it was"
            );
            assert.match(
                notice.message,
                /^Apprentice's chat history file was damaged; it was moved aside to .+ and a new one started\. Nothing else was affected\.$/
            );
            assert.equal(notices.length, 1, "one warning");
            const shown = await waitFor("an empty conversation in the view", () =>
                posted.slice(since).find((m) => m.type === "conversation")
            );
            assert.ok(
                shown.type === "conversation" && shown.turns.length === 0,
                "a new history started"
            );

            const turn = await chat.send("Tell me a story about a fox.");
            assert.equal(turn.state, "done", JSON.stringify(turn));
            const saved = JSON.parse(readFileSync(history.file, "utf8")) as {
                version: number;
                data: { turns: { id: string; text: string }[] }[];
            };
            assert.equal(saved.version, 1);
            assert.equal(saved.data.length, 1, "the new history holds the new conversation only");
            assert.ok(saved.data[0].turns.some((t) => t.text === "Tell me a story about a fox."));
            assert.ok(
                saved.data[0].turns.some((t) => t.id === turn.id && t.text === turn.text),
                "the answer was saved"
            );
            assert.ok(existsSync(notice.movedTo), "the copy set aside is still there");

            // Read back (as at the next start): the saved conversation is shown, and no new warning.
            const rereadSince = posted.length;
            assert.equal(await history.reload(), undefined);
            const reread = await waitFor("the conversation read back", () =>
                posted.slice(rereadSince).find((m) => m.type === "conversation")
            );
            assert.ok(
                reread.type === "conversation" && reread.turns.some((t) => t.id === turn.id),
                "the saved conversation is shown again"
            );
            assert.equal(notices.length, 1, "still one warning");
        } finally {
            listening.dispose();
        }
    });
});
