import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
    InvalidWebviewMessageError,
    parseFromWebview,
    parseToWebview
} from "../../src/shared/webviewProtocol";
import { validateSendParams } from "../../src/shared/chatProtocol";

describe("webview message checking", () => {
    it("accepts well-formed messages both ways", () => {
        assert.deepEqual(parseFromWebview({ type: "send", text: "hi" }), {
            type: "send",
            text: "hi"
        });
        assert.equal(
            parseFromWebview({ type: "removeAttachment", index: 0 }).type,
            "removeAttachment"
        );
        assert.equal(
            parseToWebview({ type: "delta", turnId: "a", part: "thinking", text: "x" }).type,
            "delta"
        );
        assert.deepEqual(parseFromWebview({ type: "starter", id: "findBugs" }), {
            type: "starter",
            id: "findBugs"
        });
        assert.equal(parseFromWebview({ type: "regenerate" }).type, "regenerate");
        assert.equal(parseToWebview({ type: "showHistory" }).type, "showHistory");
    });
    it("rejects unknown types and wrong fields with a named error", () => {
        for (const bad of [
            null,
            42,
            "send",
            {},
            { type: "eval", code: "1" },
            { type: "send" },
            { type: "send", text: 1 },
            { type: "removeAttachment", index: "0" },
            { type: "__proto__" },
            { type: "toString" },
            { type: "starter" },
            { type: "starter", id: "runShell" },
            { type: "starter", id: "toString" }
        ]) {
            assert.throws(
                () => parseFromWebview(bad),
                InvalidWebviewMessageError,
                JSON.stringify(bad)
            );
        }
        assert.throws(
            () => parseToWebview({ type: "delta", turnId: "a", part: "html", text: "x" }),
            /part/
        );
        assert.throws(() => parseToWebview({ type: "nope" }), /unknown message type/);
    });
});

describe("chat request checking", () => {
    it("names what is wrong", () => {
        assert.equal(
            validateSendParams({ turnId: "t", messages: [{ role: "user", text: "x" }] }),
            undefined
        );
        assert.match(validateSendParams({ turnId: "", messages: [] }) ?? "", /turnId/);
        assert.match(
            validateSendParams({ turnId: "t", messages: [{ role: "system", text: "x" }] }) ?? "",
            /role/
        );
        assert.match(
            validateSendParams({
                turnId: "t",
                messages: [
                    { role: "user", text: "x" },
                    { role: "assistant", text: "y" }
                ]
            }) ?? "",
            /last message/
        );
        assert.match(
            validateSendParams({
                turnId: "t",
                messages: [{ role: "user", text: "x", attachments: [{}] }]
            }) ?? "",
            /attachments/
        );
    });
});
