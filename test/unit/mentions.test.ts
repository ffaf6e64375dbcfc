import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { withoutSecretFiles } from "../../src/extension/mentions/diffFilter";
import { fuzzyScore, rankFuzzy } from "../../src/extension/mentions/fuzzy";
import { mentionAtCaret } from "../../src/shared/mentions";
import { SecretFileMatcher } from "../../src/shared/secretFiles";

describe("@-mentions: the word at the caret", () => {
    it("finds an @word that starts the text or follows a space, and nothing inside an e-mail address", () => {
        assert.deepEqual(mentionAtCaret("@", 1), { start: 0, query: "" });
        assert.deepEqual(mentionAtCaret("explain @ledg", 13), { start: 8, query: "ledg" });
        assert.deepEqual(mentionAtCaret("explain @ledg and more", 13), { start: 8, query: "ledg" });
        assert.equal(mentionAtCaret("mail me@example.com", 19), undefined);
        assert.equal(mentionAtCaret("@ledg done", 10), undefined, "a space ends the mention");
    });
});

describe("@-mentions: fuzzy ranking", () => {
    it("needs the letters in order; prefers the file name, runs and word starts", () => {
        assert.equal(fuzzyScore("xyz", "src/ledger.ts"), undefined);
        const files = [
            "docs/legal/readme.md",
            "src/billing/ledgerReconcile.ts",
            "src/ledger.ts",
            "test/ledger.test.ts"
        ];
        assert.deepEqual(
            rankFuzzy("ledger", files, (f) => f, 3),
            ["src/ledger.ts", "test/ledger.test.ts", "src/billing/ledgerReconcile.ts"]
        );
        assert.equal(rankFuzzy("ledgrec", files, (f) => f, 5)[0], "src/billing/ledgerReconcile.ts");
        assert.deepEqual(
            rankFuzzy("", files, (f) => f, 2),
            files.slice(0, 2),
            "an empty query keeps the order"
        );
    });
});

describe("@changes: secret files are left out of a diff", () => {
    it("drops whole sections of secret files and names them", () => {
        const diff = [
            "diff --git a/src/a.ts b/src/a.ts",
            "--- a/src/a.ts",
            "+++ b/src/a.ts",
            "@@ -1 +1 @@",
            "-a",
            "+b",
            "diff --git a/.env b/.env",
            "--- a/.env",
            "+++ b/.env",
            "@@ -1 +1 @@",
            "-KEY=1",
            "+KEY=2",
            "diff --git a/keys/server.pem b/keys/server.pem",
            "+secret",
            ""
        ].join("\n");
        const secrets = new SecretFileMatcher();
        const { diff: kept, leftOut } = withoutSecretFiles(diff, (p) => secrets.isSecret(p));
        assert.deepEqual(leftOut, [".env", "keys/server.pem"]);
        assert.match(kept, /src\/a\.ts/);
        assert.doesNotMatch(kept, /KEY=|secret/);
    });
});

describe("commit message: the model's answer as it stands in the input box", () => {
    it("drops fences, labels and quotes, keeps summary and body", async () => {
        const { cleanCommitMessage } = await import("../../src/extension/commit/commitPrompt");
        assert.equal(
            cleanCommitMessage("```\nFix the ledger rounding\n```"),
            "Fix the ledger rounding"
        );
        assert.equal(cleanCommitMessage("Commit message: Add retries"), "Add retries");
        assert.equal(cleanCommitMessage('"Add retries"'), "Add retries");
        assert.equal(
            cleanCommitMessage("Add retries\n\nThe client retried nothing.\n"),
            "Add retries\n\nThe client retried nothing."
        );
        assert.equal(cleanCommitMessage("```git"), "", "a fence being streamed shows nothing yet");
    });
});
