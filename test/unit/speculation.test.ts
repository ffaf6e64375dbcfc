import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import type { CursorWindow } from "../../src/engine/completion/cursorWindow";
import { Speculation, windowAfterAccepting } from "../../src/engine/completion/speculation";
import { normalizeCompletionOptions } from "../../src/shared/completionProtocol";

const window: CursorWindow = {
    prefix: "function f() {\n    return ",
    suffix: ";\n}\n",
    linePrefix: "    return ",
    lineSuffix: ";",
    startLine: 0
};

/** A background job that runs until released or aborted. */
function job() {
    let release!: () => void;
    const released = new Promise<void>((r) => {
        release = r;
    });
    let aborted = false;
    const run = async (signal: AbortSignal) => {
        await Promise.race([
            released,
            new Promise<void>((r) =>
                signal.addEventListener("abort", () => {
                    aborted = true;
                    r();
                })
            )
        ]);
        return !aborted;
    };
    return { run, release: () => release(), wasAborted: () => aborted };
}

describe("computing the next suggestion ahead", () => {
    it("the window after accepting a suggestion: prefix grows, the text after the cursor stays", () => {
        const next = windowAfterAccepting(window, "a + b");
        assert.equal(next.prefix, "function f() {\n    return a + b");
        assert.equal(next.linePrefix, "    return a + b");
        assert.equal(next.suffix, window.suffix);
        assert.equal(next.lineSuffix, ";");
        const multi = windowAfterAccepting(window, "{\n        x: 1\n    }");
        assert.equal(multi.linePrefix, "    }");
    });

    it("the request it was computing waits for it; typing along lets it run; anything else aborts it", async () => {
        const speculation = new Speculation();
        const next = windowAfterAccepting(window, "a + b");

        const first = job();
        speculation.start("ahead", "file:///a.ts", next, first.run);
        let settled = false;
        const waiting = speculation.settle("file:///a.ts", next).then(() => {
            settled = true;
        });
        await new Promise((r) => setImmediate(r));
        assert.equal(settled, false, "the same request waits");
        first.release();
        await waiting;
        assert.deepEqual(speculation.counts.ahead, { started: 1, completed: 1, joined: 1 });

        const second = job();
        speculation.start("ahead", "file:///a.ts", next, second.run);
        await speculation.settle("file:///a.ts", windowAfterAccepting(window, "a "));
        assert.equal(second.wasAborted(), false, "typing along towards it");
        await speculation.settle("file:///a.ts", windowAfterAccepting(window, "x"));
        await new Promise((r) => setImmediate(r));
        assert.equal(second.wasAborted(), true, "another keystroke aborts it");

        const third = job();
        speculation.start("ahead", "file:///a.ts", next, third.run);
        await speculation.settle("file:///b.ts", next);
        await new Promise((r) => setImmediate(r));
        assert.equal(third.wasAborted(), true, "another file aborts it");
        assert.equal(speculation.counts.ahead.completed, 1);
    });

    it("is on unless a client turns it off with a boolean (params.apprentice.computeAhead)", () => {
        assert.equal(normalizeCompletionOptions(undefined).computeAhead, true);
        assert.equal(normalizeCompletionOptions({ computeAhead: false }).computeAhead, false);
        assert.equal(normalizeCompletionOptions({ computeAhead: "no" }).computeAhead, true);
    });
});
