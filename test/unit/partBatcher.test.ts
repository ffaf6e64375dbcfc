import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { PartBatcher } from "../../src/engine/chat/partBatcher";
import type { ChatStreamPart } from "../../src/shared/chatProtocol";

function recorder() {
    const sent: [ChatStreamPart, string][] = [];
    return { sent, send: (part: ChatStreamPart, text: string) => void sent.push([part, text]) };
}

describe("chat part batcher", () => {
    it("sends the first piece at once and joins the next ones, up to maxPieces", () => {
        const { sent, send } = recorder();
        const batcher = new PartBatcher(send, { maxPieces: 3, maxDelayMs: 60_000 });
        batcher.push("text", "Hel");
        assert.deepEqual(sent, [["text", "Hel"]], "the first piece is not held back");
        batcher.push("text", "lo");
        batcher.push("text", ",");
        assert.equal(sent.length, 1, "later pieces wait");
        batcher.push("text", " wor");
        assert.deepEqual(sent[1], ["text", "lo, wor"], "three pieces in one");
        batcher.push("text", "ld");
        batcher.flush();
        assert.deepEqual(sent[2], ["text", "ld"], "flush sends what waits");
        batcher.flush();
        assert.equal(sent.length, 3, "nothing waiting, nothing sent");
        assert.equal(sent.map(([, t]) => t).join(""), "Hello, world");
    });

    it("never joins thinking with the answer, and keeps their order", () => {
        const { sent, send } = recorder();
        const batcher = new PartBatcher(send, { maxPieces: 10, maxDelayMs: 60_000 });
        batcher.push("thinking", "hmm");
        batcher.push("thinking", " so");
        batcher.push("thinking", "…");
        batcher.push("text", "Yes");
        batcher.push("text", ".");
        batcher.push("text", "");
        batcher.flush();
        assert.deepEqual(sent, [
            ["thinking", "hmm"],
            ["thinking", " so…"],
            ["text", "Yes."]
        ]);
    });

    it("sends waiting pieces after maxDelayMs without more pieces coming", (t) => {
        t.mock.timers.enable({ apis: ["setTimeout"] });
        const { sent, send } = recorder();
        const batcher = new PartBatcher(send, { maxPieces: 100, maxDelayMs: 50 });
        batcher.push("text", "a");
        batcher.push("text", "b");
        batcher.push("text", "c");
        t.mock.timers.tick(49);
        assert.equal(sent.length, 1);
        t.mock.timers.tick(1);
        assert.deepEqual(sent, [
            ["text", "a"],
            ["text", "bc"]
        ]);
        batcher.push("text", "d");
        t.mock.timers.tick(50);
        assert.deepEqual(sent[2], ["text", "d"], "a new wait after a send");
    });
});
