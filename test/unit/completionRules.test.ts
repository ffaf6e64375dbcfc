import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { TextDocument } from "vscode-languageserver-textdocument";
import { readCursorWindow, WINDOW_LIMITS } from "../../src/engine/completion/cursorWindow";
import {
    allowsMultiLine,
    balanceAgainstSuffix,
    finalizeCompletion,
    removeSuffixOverlap,
    trimCompletion,
    type CursorText
} from "../../src/engine/completion/postprocess";
import { ResultCache } from "../../src/engine/completion/resultCache";
import { AdaptiveDelay, delayFor } from "../../src/extension/completion/adaptiveDelay";
import { SuggestionTrail } from "../../src/extension/completion/suggestionTrail";

const at = (linePrefix: string, lineSuffix = "", rest = ""): CursorText => ({
    linePrefix,
    lineSuffix,
    suffix: lineSuffix + rest
});

describe("post-processing rules (golden fixtures)", () => {
    const cases: {
        name: string;
        cursor: CursorText;
        generated: string;
        maxLines?: number;
        expected: string;
    }[] = [
        {
            name: "single line in the middle of a line",
            cursor: at("const x = ", ";"),
            generated: "compute(1)\nfoo()",
            expected: "compute(1)"
        },
        {
            name: "multi-line after a line that opens a block, stops at block end",
            cursor: at("function f() {"),
            generated: "\n    const a = 1;\n    return a;\n}\nfunction g() {",
            expected: "\n    const a = 1;\n    return a;\n}"
        },
        {
            name: "python block ends when indentation drops",
            cursor: at("def f(x):"),
            generated: "\n    y = x + 1\n    return y\nprint(f(2))\n",
            expected: "\n    y = x + 1\n    return y"
        },
        {
            name: "on an empty line, stops below the cursor's indentation",
            cursor: at("        "),
            generated: "sum += value;\n    }\n",
            expected: "sum += value;"
        },
        {
            name: "stops when a line repeats what follows the cursor",
            cursor: at("    ", "", "\n    return sum;\n}"),
            generated: "sum += 1;\n    return sum;\n}",
            expected: "sum += 1;"
        },
        {
            name: "max lines",
            cursor: at(""),
            generated: "a\nb\nc\nd\ne",
            maxLines: 3,
            expected: "a\nb\nc"
        },
        {
            name: "trailing whitespace is stripped",
            cursor: at("let a = "),
            generated: "1;   ",
            expected: "1;"
        },
        {
            name: "whitespace-only is dropped",
            cursor: at("let a = "),
            generated: "   \t",
            expected: ""
        },
        {
            name: "text duplicating the right of the cursor is removed",
            cursor: at("foo(", ");"),
            generated: "a, b);",
            expected: "a, b"
        },
        {
            name: "closing brackets the suffix already has are dropped",
            cursor: at("call(", ")"),
            generated: "inner(1))",
            expected: "inner(1)"
        },
        {
            name: "balanced brackets are kept",
            cursor: at("x = ", ""),
            generated: "f(g(1))",
            expected: "f(g(1))"
        }
    ];
    for (const c of cases) {
        it(c.name, () =>
            assert.equal(finalizeCompletion(c.generated, c.cursor, c.maxLines ?? 8), c.expected)
        );
    }

    it("multi-line only at a block opener or on an empty line", () => {
        assert.equal(allowsMultiLine(at("if (x) {")), true);
        assert.equal(allowsMultiLine(at("    ")), true);
        assert.equal(allowsMultiLine(at("const a = b")), false);
        assert.equal(allowsMultiLine(at("if (x) {", "}")), false);
    });

    it("tells generation to stop as soon as a rule cuts", () => {
        assert.equal(trimCompletion("abc", at("x = "), 8).stop, false);
        assert.equal(trimCompletion("abc\n", at("x = "), 8).stop, true);
        assert.equal(trimCompletion("\n    a\nb", at("def f():"), 8).stop, true);
    });

    it("helpers", () => {
        assert.equal(removeSuffixOverlap("a)", ")"), "a");
        assert.equal(balanceAgainstSuffix("x]", "]"), "x");
        assert.equal(balanceAgainstSuffix("x]", ""), "x]");
    });
});

describe("result cache and typing along", () => {
    it("answers exact repeats and the rest of a suggestion being typed", () => {
        const cache = new ResultCache();
        cache.put("u", "let total = ", ";\n", { texts: ["items.length"], confidences: [0.9] });
        assert.equal(cache.get("u", "let total = ", ";\n")?.kind, "cache");
        const along = cache.get("u", "let total = item", ";\n");
        assert.equal(along?.kind, "typingAlong");
        assert.deepEqual(along?.result.texts, ["s.length"]);
        assert.equal(
            cache.get("u", "let total = x", ";\n"),
            undefined,
            "a different character is a miss"
        );
        assert.equal(
            cache.get("u", "let total = item", "other"),
            undefined,
            "another suffix is a miss"
        );
        assert.equal(
            cache.get("v", "let total = ", ";\n"),
            undefined,
            "another document is a miss"
        );
    });
});

describe("cursor window on hostile text", () => {
    it("caps a huge line and a long file, and spots binary content", () => {
        const huge = TextDocument.create("file:///h", "js", 1, "a".repeat(5_000_000));
        const read = readCursorWindow(huge, { line: 0, character: 4_000_000 });
        assert.ok(read.ok);
        if (read.ok) {
            assert.equal(read.window.linePrefix.length, WINDOW_LIMITS.lineChars);
            assert.ok(read.window.prefix.length <= WINDOW_LIMITS.prefixChars);
            assert.ok(read.window.suffix.length <= WINDOW_LIMITS.suffixChars);
        }
        const long = TextDocument.create("file:///l", "js", 1, "let x = 1;\n".repeat(1_000_000));
        const w = readCursorWindow(long, { line: 500_000, character: 3 });
        assert.ok(
            w.ok &&
                w.window.prefix.length <= WINDOW_LIMITS.prefixChars &&
                w.window.startLine % WINDOW_LIMITS.anchorLines === 0
        );
        const binary = TextDocument.create("file:///b", "bin", 1, "\u0000\u0001abc\n".repeat(100));
        assert.equal(readCursorWindow(binary, { line: 50, character: 2 }).ok, false);
    });

    it("keeps the prefix's first line while the cursor moves within a block", () => {
        const doc = TextDocument.create(
            "file:///s",
            "js",
            1,
            Array.from({ length: 400 }, (_, i) => `line ${i}`).join("\n")
        );
        const a = readCursorWindow(doc, { line: 200, character: 2 });
        const b = readCursorWindow(doc, { line: 201, character: 4 });
        assert.ok(a.ok && b.ok && a.window.startLine === b.window.startLine);
    });
});

describe("adaptive debounce", () => {
    it("waits only when the model is slower than the typist", () => {
        assert.equal(delayFor(50, 200), 0);
        assert.ok(delayFor(800, 100) > 0 && delayFor(800, 100) <= 150);
    });
});

describe("typing along the suggestion shown", () => {
    const doc = "const total = ";
    const shownAt = doc.length;
    const read = (text: string) => (start: number, end: number) => text.slice(start, end);

    it("asks without waiting while the typed text follows the suggestion", () => {
        const trail = new SuggestionTrail();
        trail.remember("file:///a.js", shownAt, "price * count;");
        const typed = doc + "price *";
        assert.equal(trail.followedTo("file:///a.js", typed.length, read(typed)), true);

        const delay = new AdaptiveDelay();
        delay.answered(900); // the model is slower than the typist: a plain keystroke waits
        assert.ok(delay.next(1000) > 0);
        assert.ok(delay.next(1100) > 0);
        assert.equal(delay.next(1200, true), 0);
    });

    it("waits again once the typed text leaves the suggestion, another file or its end", () => {
        const trail = new SuggestionTrail();
        trail.remember("file:///a.js", shownAt, "price * count;");
        const other = doc + "price +";
        assert.equal(trail.followedTo("file:///a.js", other.length, read(other)), false);
        const along = doc + "price";
        assert.equal(trail.followedTo("file:///b.js", along.length, read(along)), false);
        const whole = doc + "price * count;";
        assert.equal(trail.followedTo("file:///a.js", whole.length, read(whole)), false);
        assert.equal(trail.followedTo("file:///a.js", shownAt, read(doc)), false);
        trail.forget();
        assert.equal(trail.followedTo("file:///a.js", along.length, read(along)), false);
    });
});
