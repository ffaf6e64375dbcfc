import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { GenerationGate } from "../../src/engine/completion/generationGate";

/** A task that runs until `finish()` is called, recording how many ran at once. */
function controllable(log: string[], name: string, live: { now: number; max: number }) {
    let finish!: () => void;
    const done = new Promise<void>((r) => { finish = r; });
    return {
        finish: () => finish(),
        task: async () => {
            live.now++;
            live.max = Math.max(live.max, live.now);
            log.push(`start ${name}`);
            await done;
            live.now--;
            return name;
        }
    };
}

describe("generation gate", () => {
    it("runs one task at a time, in order", async () => {
        const gate = new GenerationGate();
        const log: string[] = [];
        const live = { now: 0, max: 0 };
        const tasks = ["a", "b", "c"].map((n) => controllable(log, n, live));
        const results = tasks.map((t) => gate.run(new AbortController().signal, t.task, () => "aborted"));
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(log, ["start a"]);
        for (const t of tasks) { t.finish(); await new Promise((r) => setImmediate(r)); }
        assert.deepEqual(await Promise.all(results), ["a", "b", "c"]);
        assert.equal(live.max, 1);
        assert.deepEqual(gate.peaks, { peakRunning: 1, peakWaiting: 2 });
    });

    it("a waiter that is aborted leaves at once and never runs", async () => {
        const gate = new GenerationGate();
        const log: string[] = [];
        const live = { now: 0, max: 0 };
        const first = controllable(log, "first", live);
        const superseded = controllable(log, "superseded", live);
        const newest = controllable(log, "newest", live);
        const running = gate.run(new AbortController().signal, first.task, () => "aborted");
        const abort = new AbortController();
        const waiting = gate.run(abort.signal, superseded.task, () => "aborted");
        const last = gate.run(new AbortController().signal, newest.task, () => "aborted");
        abort.abort();
        assert.equal(await waiting, "aborted", "answered before the running task ends");
        first.finish();
        assert.equal(await running, "first");
        await new Promise((r) => setImmediate(r));
        newest.finish();
        assert.equal(await last, "newest");
        assert.deepEqual(log, ["start first", "start newest"]);
    });

    it("an already aborted caller does not wait, and a failing task frees the gate", async () => {
        const gate = new GenerationGate();
        const abort = new AbortController();
        abort.abort();
        assert.equal(await gate.run(abort.signal, async () => "ran", () => "aborted"), "aborted");
        await assert.rejects(gate.run(new AbortController().signal, async () => { throw new Error("boom"); }, () => "aborted"), /boom/);
        assert.equal(await gate.run(new AbortController().signal, async () => "ran", () => "aborted"), "ran");
    });
});
