import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { disposeWithin } from "../../src/engine/shutdown";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("disposeWithin", () => {
    it("runs every step in order, past a failing one", async () => {
        const order: string[] = [];
        const finished = await disposeWithin(
            [
                () => {
                    order.push("a");
                },
                () => {
                    throw new Error("boom");
                },
                async () => {
                    order.push("c");
                }
            ],
            1000,
            quiet
        );
        assert.equal(finished, true);
        assert.deepEqual(order, ["a", "c"]);
    });
    it("gives up on a step that never ends, at the limit", async () => {
        const warnings: string[] = [];
        const started = Date.now();
        const finished = await disposeWithin([() => new Promise(() => undefined)], 100, {
            ...quiet,
            warn: (m) => warnings.push(m)
        });
        assert.equal(finished, false);
        assert.ok(Date.now() - started < 5000);
        assert.match(warnings[0], /longer than 100 ms/);
    });
});
