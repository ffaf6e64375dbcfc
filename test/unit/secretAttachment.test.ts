import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { ATTACH_ANYWAY, secretAttachmentWarning } from "../../src/extension/chat/secretAttachment";

describe("secretAttachmentWarning: secret files are never attached to a chat silently", () => {
    it("warns for built-in secret files, naming the file and the way to attach anyway", () => {
        for (const [uri, name] of [
            ["file:///repo/.env", ".env"],
            ["file:///repo/certs/server.pem", "certs/server.pem"],
            ["file:///home/u/.ssh/id_rsa", "id_rsa"],
            ["file:///repo/.npmrc", ".npmrc"]
        ]) {
            const warning = secretAttachmentWarning(uri, name, []);
            assert.ok(warning, uri);
            assert.ok(warning.startsWith(`${name} looks like a file that holds secrets`), warning);
            assert.ok(
                warning.includes("did not attach") && warning.includes(ATTACH_ANYWAY),
                warning
            );
        }
    });
    it("warns for the user's apprentice.secretFilePatterns too", () => {
        assert.equal(
            secretAttachmentWarning("file:///repo/config/prod.yaml", "config/prod.yaml", []),
            undefined
        );
        assert.ok(
            secretAttachmentWarning("file:///repo/config/prod.yaml", "config/prod.yaml", [
                "config/prod.*"
            ])
        );
    });
    it("attaches ordinary source files without a word", () => {
        for (const uri of [
            "file:///repo/src/env.ts",
            "file:///repo/README.md",
            "untitled:Untitled-1"
        ])
            assert.equal(secretAttachmentWarning(uri, uri, []), undefined, uri);
    });
});
