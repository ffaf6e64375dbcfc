/**
 * The crash-loop test hook, and the extension's restart policy driving real crashing engines:
 * restarts are bounded and end in a clear stop; without the hook the same engine runs normally.
 */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { RestartPolicy } from "../../src/extension/restartPolicy";
import { EngineProcess } from "../support/engineProcess";
import { requireModel } from "../support/models";

const TINY = requireModel("tiny-fim-random.gguf");
const CRASH = { APPRENTICE_ENGINE_CRASH_ON_START: "1" };

describe("engine crash on start (test hook) and the bounded restart policy", () => {
    it("with APPRENTICE_ENGINE_CRASH_ON_START=1 the engine dies like a native crash right after initialized", async () => {
        const engine = EngineProcess.spawn(CRASH);
        await engine.initialize({ modelPath: TINY, threads: 1, gpu: "off" });
        const code = await Promise.race([
            engine.exited,
            new Promise<string>((r) => setTimeout(() => r("still running"), 20_000))
        ]);
        assert.equal(code, null, "killed by a signal, not a clean exit");
        assert.equal(engine.child.signalCode, "SIGKILL");
        engine.connection.dispose();
    });

    it("a crash loop ends after a bounded number of restarts, not an endless one", async () => {
        const policy = new RestartPolicy({
            maxCrashes: 3,
            windowMs: 60_000,
            baseDelayMs: 10,
            maxDelayMs: 40
        });
        let starts = 0;
        const delays: number[] = [];
        for (;;) {
            starts++;
            assert.ok(starts <= 10, "the supervisor stopped restarting");
            const engine = EngineProcess.spawn(CRASH);
            await engine
                .initialize({ modelPath: TINY, threads: 1, gpu: "off" })
                .catch(() => undefined);
            await engine.exited;
            engine.connection.dispose();
            const decision = policy.onCrash(Date.now());
            if (!decision.restart) {
                assert.equal(decision.crashes, 4);
                break;
            }
            delays.push(decision.delayMs);
            await new Promise((r) => setTimeout(r, decision.delayMs));
        }
        assert.equal(starts, 4, "three restarts after the first crash, then a stop");
        assert.deepEqual(delays, [10, 20, 40], "back-off grows and is capped");
    });

    it("without the hook the same engine starts, loads and stays up", async () => {
        const engine = EngineProcess.spawn({ APPRENTICE_ENGINE_CRASH_ON_START: "" });
        await engine.initialize({ modelPath: TINY, threads: 1, gpu: "off" });
        const status = await engine.waitForSettled(60_000, 0);
        assert.equal(status.state, "ready", JSON.stringify(status));
        assert.equal(engine.exitCode, undefined);
        assert.equal(await engine.shutdown(), 0);
    });
});
