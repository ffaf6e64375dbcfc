import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { RestartPolicy } from "../../src/extension/restartPolicy";

describe("RestartPolicy", () => {
    const options = { maxCrashes: 3, windowMs: 60_000, baseDelayMs: 500, maxDelayMs: 1500 };
    it("restarts with a growing, bounded delay", () => {
        const p = new RestartPolicy(options);
        assert.deepEqual(p.onCrash(0), { restart: true, delayMs: 500, attempt: 1 });
        assert.deepEqual(p.onCrash(1000), { restart: true, delayMs: 1000, attempt: 2 });
        assert.deepEqual(p.onCrash(2000), { restart: true, delayMs: 1500, attempt: 3 });
    });
    it("stops after too many crashes within the window", () => {
        const p = new RestartPolicy(options);
        for (let i = 0; i < 3; i++) p.onCrash(i);
        assert.deepEqual(p.onCrash(10), { restart: false, crashes: 4 });
    });
    it("forgets crashes older than the window", () => {
        const p = new RestartPolicy(options);
        for (let i = 0; i < 3; i++) p.onCrash(i);
        assert.equal(p.onCrash(120_000).restart, true);
    });
    it("starts again after a manual reset", () => {
        const p = new RestartPolicy(options);
        for (let i = 0; i < 4; i++) p.onCrash(i);
        p.reset();
        assert.deepEqual(p.onCrash(5), { restart: true, delayMs: 500, attempt: 1 });
    });
});
