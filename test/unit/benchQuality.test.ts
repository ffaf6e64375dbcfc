import { strict as assert } from "node:assert";
import * as path from "node:path";
import { describe, it } from "node:test";
import { BenchOptionError, parseBenchArgs } from "../bench/options";
import {
    caseDocument,
    isCaseLine,
    makeCases,
    splitCount,
    type QualityCase
} from "../bench/quality/cases";
import { findDevSet, isDevSource, languageOf, type DevFile } from "../bench/quality/devSet";
import { llamaVscodeShows, qualityInfillBody } from "../bench/quality/llamaVscode";
import {
    confidenceCurve,
    editDistance,
    editSimilarity,
    firstLine,
    scoreSuggestion,
    summarizeScores
} from "../bench/quality/score";
import { cursorKind } from "../bench/suites/quality";
import { REPO_ROOT } from "../support/models";

const js: DevFile = {
    name: "node_modules/x/a.js",
    language: "javascript",
    lines: [
        '"use strict";',
        "// a comment line is never a case",
        "function greet(user) {",
        "    return `Hello, ${user.name}`;",
        "}",
        "",
        "module.exports = { greet };"
    ]
};
const py: DevFile = {
    name: "python:b.py",
    language: "python",
    lines: ["import os", "", "def f(x):", "    # comment", "    return os.path.join(x, 'y')"]
};

describe("quality cases", () => {
    it("takes code lines, not comments, blank, tiny or very long lines", () => {
        assert.deepEqual(js.lines.map(isCaseLine), [true, false, true, true, false, false, true]);
        assert.equal(isCaseLine("    # note"), false);
        assert.equal(isCaseLine(" * @param x"), false);
        assert.equal(isCaseLine(`x = ${"1".repeat(200)}`), false);
    });
    it("makes the same cases for the same seed (golden), each a line cut at a cursor with the rest as truth", () => {
        const cases = makeCases([js, py], { javascript: 3, typescript: 2, python: 2 }, 7);
        assert.deepEqual(
            cases.map((c) => [c.id, c.language, c.line, c.character]),
            [
                [0, "javascript", 0, 11],
                [1, "javascript", 6, 0],
                [2, "javascript", 3, 7],
                [3, "python", 2, 4],
                [4, "python", 4, 20]
            ]
        );
        assert.deepEqual(
            makeCases([js, py], { javascript: 3, typescript: 2, python: 2 }, 7),
            cases
        );
        assert.notDeepEqual(
            makeCases([js, py], { javascript: 3, typescript: 2, python: 2 }, 8).map((c) => [
                c.line,
                c.character
            ]),
            cases.map((c) => [c.line, c.character])
        );
        assert.deepEqual(
            [cases[2]!.typed, cases[2]!.truth],
            ["    ret", "urn `Hello, ${user.name}`;"]
        );
        const greet: QualityCase = {
            ...cases[2]!,
            character: 19,
            typed: "    return `Hello, ",
            truth: "${user.name}`;"
        };
        assert.equal(greet.typed, "    return `Hello, ");
        assert.equal(greet.truth, "${user.name}`;");
        const doc = caseDocument(greet).split("\n");
        assert.equal(doc[3], "    return `Hello, ");
        assert.deepEqual(doc.slice(4), js.lines.slice(4), "the lines after the cut line stay");
        assert.deepEqual(doc.slice(0, 3), js.lines.slice(0, 3));
        for (const c of [...cases, greet]) {
            assert.equal(c.typed + c.truth, c.file.lines[c.line]!.trimEnd());
            assert.ok(c.truth.length >= 1, "at least one character is left to guess");
            assert.ok(
                c.typed.length >=
                    c.file.lines[c.line]!.length - c.file.lines[c.line]!.trimStart().length,
                "the cursor is never inside the indentation"
            );
        }
    });
    it("never takes a line twice and stops when a language has no more lines", () => {
        const cases = makeCases([js], { javascript: 50, typescript: 0, python: 0 }, 1);
        assert.equal(cases.length, 4);
        assert.equal(new Set(cases.map((c) => c.line)).size, 4);
    });
    it("splits a total over the three languages", () => {
        assert.deepEqual(splitCount(300), { javascript: 100, typescript: 100, python: 100 });
        assert.deepEqual(splitCount(100), { javascript: 34, typescript: 33, python: 33 });
        assert.deepEqual(splitCount(101), { javascript: 34, typescript: 34, python: 33 });
    });
    it("tells the cursor's place: line start, inside a word, end of a word, after a symbol", () => {
        const kind = (typed: string, truth: string) => cursorKind({ typed, truth } as QualityCase);
        assert.equal(kind("    ", "return x;"), "line start");
        assert.equal(kind("    ret", "urn x;"), "inside a word");
        assert.equal(kind("    return", " x;"), "end of a word");
        assert.equal(kind("    foo(", "x);"), "after a symbol");
    });
});

describe("development set", () => {
    it("knows languages by file name and skips declarations and minified files", () => {
        assert.equal(languageOf("a.js"), "javascript");
        assert.equal(languageOf("a.cjs"), "javascript");
        assert.equal(languageOf("a.min.js"), undefined);
        assert.equal(languageOf("a.ts"), "typescript");
        assert.equal(languageOf("a.d.ts"), undefined);
        assert.equal(languageOf("a.py"), "python");
        assert.equal(languageOf("a.json"), undefined);
        assert.equal(isDevSource("x\n".repeat(10)), false);
        assert.equal(isDevSource("const x = 1;\n".repeat(40)), true);
        assert.equal(isDevSource(`${"a".repeat(600)}\n`.repeat(40)), false);
    });
    it("finds the installed JavaScript packages of the card (eslint is a dev dependency here) and lists the missing", () => {
        const set = findDevSet(path.join(REPO_ROOT, "node_modules"), REPO_ROOT, null);
        assert.ok(
            set.files.some(
                (f) =>
                    f.name.startsWith(`node_modules${path.sep}eslint${path.sep}`) &&
                    f.language === "javascript"
            )
        );
        assert.ok(
            !set.files.some((f) =>
                f.name.includes(
                    `${path.sep}node_modules${path.sep}eslint${path.sep}node_modules${path.sep}`
                )
            ),
            "nested copies are not the unit"
        );
        assert.ok(
            set.missing.includes("python:gzip"),
            "without python3 paths the Python units are missing, not guessed"
        );
    });
});

describe("quality scoring", () => {
    it("edit distance and similarity (goldens)", () => {
        assert.equal(editDistance("kitten", "sitting"), 3);
        assert.equal(editDistance("", "abc"), 3);
        assert.equal(editDistance("abc", "abc"), 0);
        assert.equal(editDistance("user.name}`;", "user.id}`;"), 4);
        assert.equal(editSimilarity("", ""), 1);
        assert.equal(editSimilarity("abc", ""), 0);
        assert.equal(editSimilarity("kitten", "sitting"), 1 - 3 / 7);
    });
    it("scores only the first line, trailing spaces ignored", () => {
        assert.equal(firstLine("a();  \nb();"), "a();");
        assert.deepEqual(
            scoreSuggestion(
                { text: "user.name}`;\n}", confidence: 0.9, wallMs: 1 },
                "user.name}`;"
            ),
            { shown: true, exact: true, acceptedPrefix: true, similarity: 1 }
        );
        const prefix = scoreSuggestion(
            { text: "user.", confidence: 0.9, wallMs: 1 },
            "user.name}`;"
        );
        assert.deepEqual([prefix.shown, prefix.exact, prefix.acceptedPrefix], [true, false, true]);
        assert.ok(Math.abs(prefix.similarity - 5 / 12) < 1e-12);
        const wrong = scoreSuggestion(
            { text: "user.id}`;", confidence: 0.9, wallMs: 1 },
            "user.name}`;"
        );
        assert.deepEqual([wrong.shown, wrong.exact, wrong.acceptedPrefix], [true, false, false]);
        assert.ok(Math.abs(wrong.similarity - 8 / 12) < 1e-12);
    });
    it("hides a suggestion below the threshold but keeps its similarity; an empty one scores nothing", () => {
        assert.deepEqual(scoreSuggestion({ text: "x;", confidence: 0.1, wallMs: 1 }, "x;", 0.2), {
            shown: false,
            exact: false,
            acceptedPrefix: false,
            similarity: 1
        });
        assert.deepEqual(scoreSuggestion({ text: "  \n", confidence: 0.9, wallMs: 1 }, "x;", 0.2), {
            shown: false,
            exact: false,
            acceptedPrefix: false,
            similarity: 0
        });
        assert.deepEqual(
            scoreSuggestion({ text: "x;", wallMs: 1 }, "x;", 0.5),
            { shown: true, exact: true, acceptedPrefix: true, similarity: 1 },
            "no confidence: no filter"
        );
        assert.equal(
            scoreSuggestion({ text: "\nfoo();", confidence: 0.9, wallMs: 1 }, "x;").acceptedPrefix,
            false,
            "an empty first line is not an accepted prefix"
        );
    });
    it("summarizes rates, exact among shown and the latency median (golden)", () => {
        const truths = ["a;", "b;", "c;", "d;"];
        const suggestions = [
            { text: "a;", confidence: 0.9, wallMs: 10 },
            { text: "b", confidence: 0.5, wallMs: 20 },
            { text: "x;", confidence: 0.1, wallMs: 30 },
            { text: "", confidence: 0, wallMs: 40 }
        ];
        const s = summarizeScores(
            suggestions.map((x, i) => scoreSuggestion(x, truths[i]!, 0.2)),
            suggestions.map((x) => x.wallMs)
        );
        assert.deepEqual(s, {
            n: 4,
            shown: 0.5,
            exact: 0.25,
            exactAmongShown: 0.5,
            acceptedPrefix: 0.5,
            similarity: (1 + 0.5 + 0.5 + 0) / 4,
            similarityAmongShown: 0.75,
            latencyP50: 25
        });
        const curve = confidenceCurve(suggestions, truths, [0, 0.6, 0.95]);
        assert.deepEqual(
            curve.map((p) => [p.threshold, p.shown, p.exact, p.exactAmongShown, p.exactKept]),
            [
                [0, 0.75, 0.25, 1 / 3, 1],
                [0.6, 0.25, 0.25, 1, 1],
                [0.95, 0, 0, NaN, 0]
            ]
        );
    });
});

describe("llama.vscode's request and display for a case", () => {
    const c: QualityCase = {
        id: 0,
        language: "javascript",
        file: js,
        line: 3,
        character: 19,
        typed: "    return `Hello, ",
        truth: "${user.name}`;"
    };
    it("sends the lines before, the typed part as prompt, the lines after, llama.vscode's sampling and a seed", () => {
        const body = qualityInfillBody(c, 42);
        assert.equal(body.input_prefix, `${js.lines.slice(0, 3).join("\n")}\n`);
        assert.equal(body.prompt, "    return `Hello, ");
        assert.equal(body.input_suffix, `\n${js.lines.slice(4).join("\n")}\n`);
        assert.deepEqual(
            [body.top_k, body.top_p, body.samplers, body.n_predict, body.n_indent, body.seed],
            [40, 0.99, ["top_k", "top_p", "infill"], 128, 4, 42]
        );
        const start = { ...c, typed: "    ", truth: "return 1;" };
        assert.equal(
            qualityInfillBody(start, 1).prompt,
            "",
            "an indentation-only line is sent as an empty prompt"
        );
    });
    it("shows nothing for blank answers or a repeat of the next line, drops trailing empty lines, strips the indentation already typed", () => {
        assert.equal(llamaVscodeShows("  \n\n", c), "");
        assert.equal(llamaVscodeShows("${user.name}`;\n\n", c), "${user.name}`;");
        const before = { ...c, line: 2, typed: "function greet(user) ", truth: "{" };
        assert.equal(llamaVscodeShows("{", before), "{");
        const repeat = { ...c, line: 3, typed: "", truth: "x" };
        assert.equal(llamaVscodeShows("}", repeat), "", "the next non-empty line repeated");
        const indented = { ...c, typed: "    ", truth: "return 1;" };
        assert.equal(llamaVscodeShows("    return 1;", indented), "return 1;");
    });
});

describe("bench options for the quality suite", () => {
    const env = { repoRoot: "/r", modelsDir: "/m", cores: 2 };
    it("defaults to 300 cases, 99 with --quick, 600 with --full, and the engine's threshold", () => {
        assert.equal(parseBenchArgs(["--suites", "quality"], env).qualityCases, 300);
        assert.equal(parseBenchArgs(["--quick"], env).qualityCases, 99);
        assert.equal(parseBenchArgs(["--full"], env).qualityCases, 600);
        assert.equal(parseBenchArgs(["--cases", "12"], env).qualityCases, 12);
        assert.equal(parseBenchArgs([], env).minConfidence, undefined);
        assert.equal(parseBenchArgs(["--min-confidence", "0.4"], env).minConfidence, 0.4);
        assert.throws(() => parseBenchArgs(["--min-confidence", "2"], env), BenchOptionError);
    });
});
