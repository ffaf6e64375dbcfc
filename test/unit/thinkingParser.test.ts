import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
    opensThinking,
    ThinkingParser,
    type ThinkingPiece
} from "../../src/engine/chat/thinkingParser";

function run(
    chunks: string[],
    startInThinking = false
): { thinking: string; text: string; order: string[] } {
    const parser = new ThinkingParser({ startInThinking });
    const pieces: ThinkingPiece[] = [];
    for (const c of chunks) pieces.push(...parser.push(c));
    pieces.push(...parser.end());
    return {
        thinking: pieces
            .filter((p) => p.part === "thinking")
            .map((p) => p.text)
            .join(""),
        text: pieces
            .filter((p) => p.part === "text")
            .map((p) => p.text)
            .join(""),
        order: pieces.map((p) => p.part).filter((p, i, all) => all[i - 1] !== p)
    };
}

describe("ThinkingParser", () => {
    it("splits <think>…</think> from the answer", () => {
        const r = run(["<think>Let me see.</think>\n\nThe answer is 4."]);
        assert.equal(r.thinking, "Let me see.");
        assert.equal(r.text, "The answer is 4.");
        assert.deepEqual(r.order, ["thinking", "text"]);
    });
    it("handles only the closing tag when the template opened thinking (R1 distill)", () => {
        const r = run(["Hmm, the user ", "wants x.", "</think>", "\n\nUse x."], true);
        assert.equal(r.thinking, "Hmm, the user wants x.");
        assert.equal(r.text, "Use x.");
    });
    it("handles tags split across chunks, one character at a time", () => {
        const source = "  <think>plan it</think>\nDone <b>.";
        const r = run([...source]);
        assert.equal(r.thinking, "plan it");
        assert.equal(r.text, "Done <b>.");
    });
    it("closing tag split across chunks with startInThinking", () => {
        const r = run(["abc</th", "ink>xyz"], true);
        assert.equal(r.thinking, "abc");
        assert.equal(r.text, "xyz");
    });
    it("text without tags is all answer, including a trailing partial tag at the end", () => {
        const r = run(["if (a <", " b) return a </"]);
        assert.equal(r.thinking, "");
        assert.equal(r.text, "if (a < b) return a </");
    });
    it("a stray closing tag in the answer is dropped", () => {
        const r = run(["Answer</think> more"]);
        assert.equal(r.text, "Answer more");
    });
    it("unclosed thinking stays thinking", () => {
        const r = run(["<think>still going"]);
        assert.equal(r.thinking, "still going");
        assert.equal(r.text, "");
    });
});

describe("opensThinking (R1-distill templates open <think> in the generation prompt)", () => {
    it("detects a template that ends the generation prompt with <think>", () => {
        const r1 =
            "{% for message in messages %}...{% endfor %}{% if add_generation_prompt %}{{'<｜Assistant｜><think>\\n'}}{% endif %}";
        const chatml =
            "{% for message in messages %}{{'<|im_start|>' + message['role']}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
        assert.equal(opensThinking(r1), true);
        assert.equal(opensThinking(chatml), false);
    });
});
