import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import type { Token } from "node-llama-cpp";
import { lookupDraft } from "../../src/engine/completion/draftLookup";
import { DraftPolicy } from "../../src/engine/completion/draftPolicy";

const t = (...xs: number[]) => xs as Token[];
const options = { minMatch: 3, maxMatch: 8, minDraft: 2, maxDraft: 4 };
const never = () => false;

describe("draft lookup", () => {
    it("proposes what followed the last earlier occurrence of the history's tail", () => {
        const history = t(1, 2, 3, 4, 5, 6, 7, 9, 9, 2, 3, 4);
        assert.deepEqual(lookupDraft(history, [], never, options), t(5, 6, 7, 9));
    });

    it("prefers the longest match, and at equal length the latest", () => {
        const history = t(
            8,
            2,
            3,
            4,
            50,
            51,
            1,
            2,
            3,
            4,
            60,
            61,
            1,
            2,
            3,
            4,
            70,
            71,
            0,
            1,
            2,
            3,
            4
        );
        assert.deepEqual(
            lookupDraft(history, [], never, options),
            t(70, 71, 0, 1),
            "the latest of the 4-token matches"
        );
        const longer = t(7, 1, 2, 3, 4, 80, 81, 9, 2, 3, 4, 90, 91, 7, 1, 2, 3, 4);
        assert.deepEqual(
            lookupDraft(longer, [], never, options),
            t(80, 81, 9, 2),
            "the 5-token match beats the later 3-token one"
        );
    });

    it("looks in earlier suggestions too", () => {
        const history = t(40, 41, 1, 2, 3);
        assert.deepEqual(
            lookupDraft(history, [t(1, 2, 3, 10, 11, 12)], never, options),
            t(10, 11, 12)
        );
    });

    it("proposes nothing for a match shorter than minMatch or a continuation shorter than minDraft", () => {
        assert.deepEqual(lookupDraft(t(1, 2, 5, 6, 7, 1, 2), [], never, options), []);
        assert.deepEqual(
            lookupDraft(t(40, 41, 1, 2, 3), [t(1, 2, 3, 10)], never, options),
            [],
            "one token of continuation"
        );
    });

    it("stops the draft before a stop token", () => {
        const history = t(1, 2, 3, 4, 5, 99, 6, 1, 2, 3);
        assert.deepEqual(
            lookupDraft(history, [], (x) => x === 99, options),
            t(4, 5)
        );
    });
});

describe("draft policy", () => {
    it("drafts at first (the prior), and stops when drafts cost as much as the tokens they bring", () => {
        const policy = new DraftPolicy(8, 2);
        assert.ok(policy.choose(8) > 0, "optimistic before anything is measured");
        for (let i = 0; i < 10; i++) {
            policy.observePlain(10);
            // A batch of 9 costs 8 plain steps and brings 2 tokens.
            policy.observeDraft(8, 80, 1);
        }
        for (let k = 2; k <= 8; k++) for (let i = 0; i < 3; i++) policy.observeDraft(k, 10 * k, 1);
        assert.equal(policy.choose(8), 0);
    });

    it("keeps drafting where batches are cheap and drafts are right", () => {
        const policy = new DraftPolicy(8, 2);
        for (let i = 0; i < 10; i++) {
            policy.observePlain(10);
            policy.observeDraft(8, 14, 8);
        }
        assert.equal(policy.choose(8), 8);
        assert.ok(policy.figures.acceptance > 0.9);
    });

    it("tries a draft now and then after declining many", () => {
        const policy = new DraftPolicy(4, 2);
        for (let i = 0; i < 5; i++) {
            policy.observePlain(10);
            policy.observeDraft(4, 100, 0);
        }
        for (let k = 2; k <= 4; k++) for (let i = 0; i < 3; i++) policy.observeDraft(k, 100, 0);
        const choices = Array.from({ length: 100 }, () => policy.choose(4));
        const tried = choices.filter((c) => c > 0).length;
        assert.ok(tried >= 1 && tried <= 3, `tried ${tried} of 100`);
    });
});
