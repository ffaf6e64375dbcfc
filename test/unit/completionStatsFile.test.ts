/** completion-stats.json on real files: saved after a change and at dispose, read back, windows add up, damage handled. */
import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { CompletionStatsFile } from "../../src/extension/completion/completionStatsFile";
import { LocalCompletionStats } from "../../src/extension/completion/localStats";
import type { CorruptFileReport } from "../../src/extension/storage/atomicJsonFile";

const root = mkdtempSync(path.join(tmpdir(), "apprentice-stats-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshFile = () => path.join(root, `g-${++n}`, "completion-stats.json");

function window(file: string, intervalMs = 60_000, onDamaged?: (r: CorruptFileReport) => void) {
    const stats = new LocalCompletionStats();
    const errors: unknown[] = [];
    const persisted = new CompletionStatsFile({
        file,
        stats,
        intervalMs,
        onDamaged,
        onError: (e) => errors.push(e)
    });
    return { stats, persisted, errors };
}

describe("CompletionStatsFile", () => {
    it("a change is saved after the interval (not before), and a new session reads the counts back", async () => {
        const file = freshFile();
        const a = window(file, 200);
        await a.persisted.load();
        a.stats.onShown(120);
        a.stats.onShown(80);
        a.stats.onAccepted();
        a.stats.onPartiallyAccepted();
        assert.equal(existsSync(file), false, "not saved at once");
        // Saved once the interval has passed (polled: the machine may be busy; this bounds only a hang).
        for (let waited = 0; !existsSync(file) && waited < 10_000; waited += 50)
            await new Promise((r) => setTimeout(r, 50));
        assert.equal(existsSync(file), true, "saved after the interval");
        const b = window(file);
        await b.persisted.load();
        assert.deepEqual([b.stats.shown, b.stats.accepted, b.stats.partiallyAccepted], [2, 1, 1]);
        assert.match(b.stats.report(undefined)[1], /p50 (80|100|120) ms/);
        await Promise.all([a.persisted.dispose(), b.persisted.dispose()]);
        assert.deepEqual([...a.errors, ...b.errors], []);
    });

    it("dispose writes what is pending; two windows on the same file add up instead of overwriting", async () => {
        const file = freshFile();
        const a = window(file);
        const b = window(file);
        await Promise.all([a.persisted.load(), b.persisted.load()]);
        for (let i = 0; i < 3; i++) a.stats.onShown(10);
        for (let i = 0; i < 2; i++) b.stats.onShown(20);
        b.stats.onAccepted();
        await a.persisted.dispose();
        await b.persisted.dispose();
        const c = window(file);
        await c.persisted.load();
        assert.deepEqual([c.stats.shown, c.stats.accepted], [5, 1]);
        const saved = JSON.parse(readFileSync(file, "utf8"));
        assert.deepEqual(saved.data.latencies, [10, 10, 10, 20, 20]);
        await c.persisted.dispose();
    });

    it("a damaged file is moved aside and reported; counting goes on and is saved", async () => {
        const file = freshFile();
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(
            file,
            JSON.stringify({
                version: 1,
                data: { shown: -3, accepted: "many", partiallyAccepted: 0, latencies: [] }
            })
        );
        const reports: CorruptFileReport[] = [];
        const a = window(file, 60_000, (r) => reports.push(r));
        await a.persisted.load();
        assert.equal(reports.length, 1);
        assert.ok(reports[0].movedTo && existsSync(reports[0].movedTo));
        assert.equal(a.stats.shown, 0);
        a.stats.onShown(5);
        await a.persisted.dispose();
        const b = window(file);
        await b.persisted.load();
        assert.equal(b.stats.shown, 1);
        assert.equal(reports.length, 1, "reported once");
    });

    it("a failed save keeps the counts for the next save", async () => {
        const file = freshFile();
        mkdirSync(path.dirname(file), { recursive: true });
        const blocked = path.join(path.dirname(file), "blocked");
        writeFileSync(blocked, "");
        const a = window(path.join(blocked, "completion-stats.json"));
        a.stats.onShown(7);
        await a.persisted.save();
        assert.equal(a.errors.length, 1, "the failure was reported");
        assert.deepEqual(a.stats.takeUnsaved()?.shown, 1, "the count is still unsaved");
    });

    it("keeps the hours and languages across sessions; a file written before they existed still reads", async () => {
        const file = freshFile();
        mkdirSync(path.dirname(file), { recursive: true });
        // What version 1 wrote before hours, languages and cancelled were added.
        writeFileSync(
            file,
            JSON.stringify({
                version: 1,
                savedAt: "2026-11-01T00:00:00.000Z",
                data: { shown: 4, accepted: 2, partiallyAccepted: 0, latencies: [90, 110] }
            })
        );
        const a = window(file);
        await a.persisted.load();
        assert.deepEqual([a.stats.shown, a.stats.accepted, a.stats.cancelled], [4, 2, 0]);
        const at = new Date(2026, 11, 4, 10, 15).getTime();
        a.stats.onShown(70, "python", at);
        a.stats.onAccepted("python", at);
        a.stats.onCancelled("python");
        await a.persisted.dispose();
        const saved = JSON.parse(readFileSync(file, "utf8"));
        assert.equal(saved.version, 1, "still format 1: the new fields are optional");
        assert.deepEqual(saved.data.languages, { python: { shown: 1, accepted: 1, cancelled: 1 } });
        assert.deepEqual(saved.data.hours, [
            { start: new Date(2026, 11, 4, 10).getTime(), shown: 1, accepted: 1 }
        ]);
        const b = window(file);
        await b.persisted.load();
        const snapshot = b.stats.snapshot();
        assert.deepEqual([snapshot.shown, snapshot.accepted, snapshot.cancelled], [5, 3, 1]);
        assert.deepEqual(snapshot.languages, { python: { shown: 1, accepted: 1, cancelled: 1 } });
        await b.persisted.dispose();
    });

    it("malformed hours or languages make the file damaged (moved aside), not half-read", async () => {
        for (const data of [
            { hours: [{ start: "noon", shown: 1, accepted: 0 }] },
            { languages: { python: { shown: -1, accepted: 0, cancelled: 0 } } },
            { languages: [] },
            { cancelled: 1.5 }
        ]) {
            const file = freshFile();
            mkdirSync(path.dirname(file), { recursive: true });
            writeFileSync(
                file,
                JSON.stringify({
                    version: 1,
                    data: { shown: 1, accepted: 0, partiallyAccepted: 0, latencies: [5], ...data }
                })
            );
            const reports: CorruptFileReport[] = [];
            const a = window(file, 60_000, (r) => reports.push(r));
            await a.persisted.load();
            assert.equal(reports.length, 1, JSON.stringify(data));
            assert.equal(a.stats.shown, 0);
            await a.persisted.dispose();
        }
    });
});
