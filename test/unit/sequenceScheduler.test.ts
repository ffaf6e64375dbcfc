import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { SequenceScheduler } from "../../src/engine/modelHost/sequenceScheduler";

/** A task that runs until `finish()` is called, recording how many ran at once. */
function controllable(log: string[], name: string, live: { now: number; max: number }) {
    let finish!: () => void;
    const done = new Promise<void>((r) => {
        finish = r;
    });
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

describe("sequence scheduler", () => {
    it("runs one task at a time, in order", async () => {
        const gate = new SequenceScheduler();
        const log: string[] = [];
        const live = { now: 0, max: 0 };
        const tasks = ["a", "b", "c"].map((n) => controllable(log, n, live));
        const results = tasks.map((t) =>
            gate.run(t.task, new AbortController().signal, () => "aborted")
        );
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(log, ["start a"]);
        for (const t of tasks) {
            t.finish();
            await new Promise((r) => setImmediate(r));
        }
        assert.deepEqual(await Promise.all(results), ["a", "b", "c"]);
        assert.equal(live.max, 1);
        assert.deepEqual(gate.peaks, { peakRunning: 1, peakWaiting: 2 });
    });

    it("a waiter that is aborted leaves at once and never runs", async () => {
        const gate = new SequenceScheduler();
        const log: string[] = [];
        const live = { now: 0, max: 0 };
        const first = controllable(log, "first", live);
        const superseded = controllable(log, "superseded", live);
        const newest = controllable(log, "newest", live);
        const running = gate.run(first.task, new AbortController().signal, () => "aborted");
        const abort = new AbortController();
        const waiting = gate.run(superseded.task, abort.signal, () => "aborted");
        const last = gate.run(newest.task, new AbortController().signal, () => "aborted");
        abort.abort();
        assert.equal(await waiting, "aborted", "answered before the running task ends");
        first.finish();
        assert.equal(await running, "first");
        await new Promise((r) => setImmediate(r));
        newest.finish();
        assert.equal(await last, "newest");
        assert.deepEqual(log, ["start first", "start newest"]);
    });

    it("an already aborted caller does not wait, and a failing task frees the sequence", async () => {
        const gate = new SequenceScheduler();
        const abort = new AbortController();
        abort.abort();
        assert.equal(
            await gate.run(
                async () => "ran",
                abort.signal,
                () => "aborted"
            ),
            "aborted"
        );
        await assert.rejects(
            gate.run(
                async () => {
                    throw new Error("boom");
                },
                new AbortController().signal,
                () => "aborted"
            ),
            /boom/
        );
        assert.equal(
            await gate.run(
                async () => "ran",
                new AbortController().signal,
                () => "aborted"
            ),
            "ran"
        );
    });

    it("a caller without a signal keeps its turn (chat turns queue in order; the job itself sees the abort)", async () => {
        const gate = new SequenceScheduler();
        const log: string[] = [];
        const live = { now: 0, max: 0 };
        const first = controllable(log, "first", live);
        const second = controllable(log, "second", live);
        const running = gate.run(first.task);
        const queued = gate.run(second.task);
        assert.equal(gate.busy, true);
        first.finish();
        assert.equal(await running, "first");
        await new Promise((r) => setImmediate(r));
        second.finish();
        assert.equal(await queued, "second");
        assert.deepEqual(log, ["start first", "start second"]);
        await new Promise((r) => setImmediate(r));
        assert.equal(gate.busy, false);
        await assert.rejects(
            gate.run(() => {
                throw new Error("sync boom");
            }),
            /sync boom/
        );
        assert.equal(
            await gate.run(async () => "ran"),
            "ran",
            "a job that throws at once frees the sequence too"
        );
    });
});
