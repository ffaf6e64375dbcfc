import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { boundedDocuments, isOversized } from "../../src/engine/documents/boundedDocuments";
import { DocumentHealth } from "../../src/engine/documents/documentHealth";
import {
    checkDidChange,
    checkDidOpen,
    checkDocumentIdentifier,
    looksBinary
} from "../../src/engine/documents/syncChecks";
import { initializeParamsProblem } from "../../src/engine/initializeGuard";

const open = (text: unknown, uri: unknown = "file:///a.ts") => ({
    textDocument: { uri, languageId: "ts", version: 1, text }
});
const change = (changes: unknown, version: unknown = 2) => ({
    textDocument: { uri: "file:///a.ts", version },
    contentChanges: changes
});
const range = (sl: unknown, sc: unknown, el: unknown, ec: unknown) => ({
    start: { line: sl, character: sc },
    end: { line: el, character: ec }
});

describe("document sync checks", () => {
    it("accept what LSP specifies", () => {
        assert.deepEqual(checkDidOpen(open("text")), { ok: true });
        assert.deepEqual(
            checkDidChange(change([{ text: "full" }, { range: range(0, 0, 0, 1), text: "x" }])),
            { ok: true }
        );
        assert.deepEqual(
            checkDidChange(
                change([{ range: range(1e6, 0, 1e6, 5), text: "past the end is clamped" }])
            ),
            { ok: true }
        );
        assert.deepEqual(checkDocumentIdentifier({ textDocument: { uri: "file:///a" } }), {
            ok: true
        });
    });
    it("name what is wrong", () => {
        const problems = [
            checkDidOpen(null),
            checkDidOpen(open(5)),
            checkDidOpen(open("x", "")),
            checkDidOpen(open("x", "f".repeat(9000))),
            checkDidChange(change("x")),
            checkDidChange(change([{ text: 5 }])),
            checkDidChange(change([{ text: "x" }], "2")),
            checkDidChange(change([{ range: range(-1, 0, 0, 0), text: "" }])),
            checkDidChange(change([{ range: range(0.5, 0, 1, 0), text: "" }])),
            checkDidChange(change([{ range: range("0", 0, 1, 0), text: "" }])),
            checkDidChange(change([{ range: range(3, 0, 1, 0), text: "" }])),
            checkDidChange(change([{ range: range(1, 5, 1, 2), text: "" }])),
            checkDidChange(change([{ range: null, text: "" }])),
            checkDocumentIdentifier({ textDocument: {} }),
            checkDocumentIdentifier([])
        ];
        for (const p of problems) {
            assert.equal(p.ok, false);
            if (!p.ok) assert.ok(p.problem.length > 10, p.problem);
        }
    });
    it("detect binary text by a NUL in the first 8 KiB", () => {
        assert.equal(looksBinary("abc\u0000def"), true);
        assert.equal(looksBinary("plain\ntext"), false);
        assert.equal(looksBinary("x".repeat(9000) + "\u0000"), false);
    });
});

describe("DocumentHealth", () => {
    it("skips too-large, binary and out-of-sync documents until a full text makes them usable", () => {
        const h = new DocumentHealth(100);
        h.judgeFullText("a", "x".repeat(101));
        assert.equal(h.skipReason("a"), "tooLarge");
        h.judgeIncremental("a", 50, ["y"]);
        assert.equal(h.usable("a"), true);
        h.judgeIncremental("a", 60, ["\u0000"]);
        assert.equal(h.skipReason("a"), "binary");
        h.markOutOfSync("a");
        h.judgeIncremental("a", 10, ["ok"]);
        assert.equal(h.skipReason("a"), "outOfSync");
        h.judgeFullText("a", "fresh");
        assert.equal(h.usable("a"), true);
        h.judgeFullText("b", "\u0000");
        h.forget("b");
        assert.equal(h.usable("b"), true);
    });
    it("never lets secret files be used, with the built-in and the user's patterns", () => {
        const h = new DocumentHealth();
        assert.equal(h.skipReason("file:///repo/.env"), "secret");
        assert.equal(h.skipReason("file:///repo/app.token"), undefined);
        h.setSecretPatterns(["*.token"]);
        assert.equal(h.skipReason("file:///repo/app.token"), "secret");
        assert.equal(h.skipReason("file:///repo/.env"), "secret");
        assert.equal(h.usable("file:///repo/src/main.ts"), true);
    });
});

describe("initialize params", () => {
    it("accept a client's params, including our own live process id", () => {
        assert.equal(initializeParamsProblem({ processId: null, capabilities: {} }), undefined);
        assert.equal(
            initializeParamsProblem({
                processId: process.pid,
                capabilities: {},
                initializationOptions: { settings: {} }
            }),
            undefined
        );
    });
    it("refuse params that would throw or end the engine", () => {
        for (const params of [
            null,
            5,
            [],
            {},
            { capabilities: [] },
            { processId: "1", capabilities: {} },
            { processId: -1, capabilities: {} },
            { processId: 2 ** 31 - 2, capabilities: {} },
            { capabilities: {}, initializationOptions: "x" }
        ]) {
            assert.equal(typeof initializeParamsProblem(params), "string", JSON.stringify(params));
        }
    });
});

describe("boundedDocuments: no copy of a document over the size limit", () => {
    const config = boundedDocuments(100);
    it("keeps a placeholder for a large document, ignores its edits, and takes a real copy back from a small full text", () => {
        const big = config.create("file:///a.ts", "typescript", 1, "x".repeat(101));
        assert.equal(isOversized(big), true);
        assert.equal(big.getText(), "");
        const edited = config.update(
            big,
            [
                {
                    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
                    text: "y"
                }
            ],
            2
        );
        assert.equal(isOversized(edited), true);
        assert.equal(edited.version, 2);
        const small = config.update(
            edited,
            [
                { text: "abc" },
                {
                    range: { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } },
                    text: "d"
                }
            ],
            3
        );
        assert.equal(isOversized(small), false);
        assert.equal(small.getText(), "abcd");
        const grown = config.update(
            small,
            [
                {
                    range: { start: { line: 0, character: 4 }, end: { line: 0, character: 4 } },
                    text: "z".repeat(100)
                }
            ],
            4
        );
        assert.equal(isOversized(grown), true, "an edit past the limit drops the copy");
        assert.equal(grown.getText(), "");
        const normal = config.create("file:///b.ts", "typescript", 1, "ok");
        assert.equal(isOversized(normal), false);
        assert.equal(normal.getText(), "ok");
    });
});
