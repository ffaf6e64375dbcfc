/** The chat history file through ConversationStore, on real files: round trip, migration from workspaceState, damage, limits. */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import type * as vscode from "vscode";
import {
    fitHistory,
    MAX_CONVERSATIONS,
    MAX_SAVED_TEXT,
    type Conversation
} from "../../src/extension/chat/conversationFormat";
import { ConversationStore, LEGACY_KEY } from "../../src/extension/chat/conversationStore";

const root = mkdtempSync(path.join(tmpdir(), "apprentice-history-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshFile = () => path.join(root, `ws-${++n}`, "chat-history.json");

/** workspaceState as VS Code keeps it: a key-value map. */
function memento(
    initial: Record<string, unknown> = {}
): vscode.Memento & { data: Record<string, unknown> } {
    const data = { ...initial };
    return {
        data,
        keys: () => Object.keys(data),
        get: <T>(key: string, fallback?: T) => (key in data ? data[key] : fallback) as T,
        update: async (key: string, value: unknown) => {
            if (value === undefined) delete data[key];
            else data[key] = value;
        }
    } as vscode.Memento & { data: Record<string, unknown> };
}

function conversation(id: string, turns = 2, textLength = 20, updated = Date.now()): Conversation {
    return {
        id,
        title: `title ${id}`,
        updated,
        turns: Array.from({ length: turns }, (_, i) => ({
            id: `${id}-t${i}`,
            role: i % 2 ? ("assistant" as const) : ("user" as const),
            text: `${id} ${i} `.padEnd(textLength, "x"),
            ...(i % 2 ? { state: "done" as const } : {})
        }))
    };
}

describe("ConversationStore (chat history file)", () => {
    it("keeps conversations most recent first across instances; empty ones are not kept; delete removes", async () => {
        const file = freshFile();
        const store = new ConversationStore(file);
        assert.equal(await store.load(), undefined);
        await store.save(conversation("a"));
        await store.save(conversation("b"));
        await store.save({ id: "empty", title: "", updated: 1, turns: [] });
        await store.save(conversation("a", 4));
        const again = new ConversationStore(file);
        await again.load();
        assert.deepEqual(
            again.summaries().map((s) => s.id),
            ["a", "b"]
        );
        assert.equal(again.get("a")?.turns.length, 4);
        await again.delete("a");
        const third = new ConversationStore(file);
        await third.load();
        assert.deepEqual(
            third.all().map((c) => c.id),
            ["b"]
        );
    });

    it("a save before the file was read does not replace the history", async () => {
        const file = freshFile();
        const first = new ConversationStore(file);
        await first.save(conversation("old"));
        const second = new ConversationStore(file); // load() not called
        await second.save(conversation("new"));
        const check = new ConversationStore(file);
        await check.load();
        assert.deepEqual(
            check.all().map((c) => c.id),
            ["new", "old"]
        );
    });

    it("moves conversations from workspaceState into the file once, then clears the key", async () => {
        const file = freshFile();
        const state = memento({
            [LEGACY_KEY]: [
                conversation("x", 2, 20, 100),
                { id: 5, junk: true },
                conversation("y", 2, 20, 200)
            ]
        });
        const store = new ConversationStore(file, state);
        assert.equal(await store.load(), undefined);
        assert.deepEqual(
            store.all().map((c) => c.id),
            ["y", "x"]
        );
        assert.equal(LEGACY_KEY in state.data, false, "the workspaceState key was cleared");
        const reread = new ConversationStore(file, state);
        await reread.load();
        assert.deepEqual(
            reread.all().map((c) => c.id),
            ["y", "x"],
            "the file holds them now"
        );
        // A key left over (the window closed between writing the file and clearing it) adds no duplicates.
        await state.update(LEGACY_KEY, [conversation("y", 2, 20, 200)]);
        const third = new ConversationStore(file, state);
        await third.load();
        assert.deepEqual(
            third.all().map((c) => c.id),
            ["y", "x"]
        );
        assert.equal(LEGACY_KEY in state.data, false);
    });

    it("a damaged file: reported, moved aside, the store starts empty and saves again", async () => {
        const file = freshFile();
        mkdirSync(path.dirname(file), { recursive: true });
        const bad = JSON.stringify({
            version: 1,
            data: [
                { id: "a", title: "t", updated: 1, turns: [{ id: "t", role: "robot", text: "" }] }
            ]
        });
        writeFileSync(file, bad);
        const store = new ConversationStore(file);
        const report = await store.load();
        assert.ok(report?.movedTo, "moved aside");
        assert.match(report.reason, /turn 1/);
        assert.equal(readFileSync(report.movedTo, "utf8"), bad);
        assert.deepEqual(store.all(), []);
        await store.save(conversation("fresh"));
        const again = new ConversationStore(file);
        assert.equal(await again.load(), undefined);
        assert.deepEqual(
            again.all().map((c) => c.id),
            ["fresh"]
        );
    });

    it("limits: 50 conversations, long texts cut, the byte cap drops older conversations first, the input is not changed", () => {
        const many = Array.from({ length: 60 }, (_, i) => conversation(`c${i}`));
        assert.equal(fitHistory(many).length, MAX_CONVERSATIONS);
        const huge = conversation("huge", 2, MAX_SAVED_TEXT + 5000);
        const [cut] = fitHistory([huge]);
        assert.ok(
            cut.turns[0].text.length < MAX_SAVED_TEXT + 100 &&
                /more characters were not saved/.test(cut.turns[0].text)
        );
        assert.equal(
            huge.turns[0].text.length,
            MAX_SAVED_TEXT + 5000,
            "the session's conversation is unchanged"
        );
        const tenKb = Array.from({ length: 10 }, (_, i) => conversation(`k${i}`, 2, 5_000));
        const capped = fitHistory(tenKb, 35_000);
        assert.deepEqual(
            capped.map((c) => c.id),
            ["k0", "k1", "k2"]
        );
        assert.ok(Buffer.byteLength(JSON.stringify(capped)) <= 35_000);
        const single = fitHistory([conversation("long", 10, 5_000)], 20_000);
        assert.deepEqual(
            single[0].turns.map((t) => t.id),
            ["long-t7", "long-t8", "long-t9"],
            "the newest conversation keeps its latest turns"
        );
    });

    it("save time of a full history (50 conversations) is printed", async () => {
        const file = freshFile();
        const store = new ConversationStore(file);
        await store.load();
        // 50 conversations of 12 turns of about 2,000 characters: a heavy but ordinary history.
        for (let i = 0; i < MAX_CONVERSATIONS; i++)
            await store.save(conversation(`h${i}`, 12, 2_000, i));
        const times: number[] = [];
        for (let i = 0; i < 20; i++) {
            const started = process.hrtime.bigint();
            await store.save(conversation(`h${i}`, 12, 2_000, 100 + i));
            times.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        const report = (what: string) => {
            times.sort((a, b) => a - b);
            const written = (JSON.parse(readFileSync(file, "utf8")) as { data: unknown[] }).data
                .length;
            console.log(
                `history save, ${what}: ${written} conversations written, ${Math.round(statSync(file).size / 1024)} KiB file, median ${times[10].toFixed(1)} ms, max ${times[19].toFixed(1)} ms (20 saves, fsync included)`
            );
            times.length = 0;
        };
        report("ordinary");
        // At the byte cap: 50 conversations of about 200 KB, of which only the newest ~20 fit in 4 MiB.
        for (let i = 0; i < MAX_CONVERSATIONS; i++)
            await store.save(conversation(`big${i}`, 20, 10_000, 1000 + i));
        for (let i = 0; i < 20; i++) {
            const started = process.hrtime.bigint();
            await store.save(conversation(`big${i}`, 20, 10_000, 2000 + i));
            times.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
        report("at the 4 MiB cap");
        assert.ok(statSync(file).size <= 4 * 1024 * 1024 + 200, "the file stays within the cap");
    });
});
