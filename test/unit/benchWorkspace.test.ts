import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
    declarationOn,
    findCalls,
    findDeclarations,
    makeQuestions,
    splitOf,
    type TreeFile
} from "../bench/workspace/questions";
import { firstHitRank, summarizeRanks } from "../bench/workspace/score";

const lib: TreeFile = {
    relativePath: "pkg/lib/request.js",
    lines: [
        '"use strict";',
        "function parseHttpRequest(text) {",
        "    return splitHeaderLines(text);",
        "}",
        'const splitHeaderLines = (text) => text.split("\\n");',
        "// parseHttpRequest(comment) is no call",
        "class RequestQueue {",
        "    push(item) { return parseHttpRequest(item); }",
        "}",
        "module.exports = { parseHttpRequest, RequestQueue };"
    ]
};
const types: TreeFile = {
    relativePath: "pkg/index.d.ts",
    lines: [
        "export interface RequestOptions {",
        "    timeout: number;",
        "}",
        "export declare function parseHttpRequest(text: string): RequestOptions;"
    ]
};
const py: TreeFile = {
    relativePath: "tools/build.py",
    lines: [
        "import os",
        "",
        "def collect_sources(root):",
        "    return os.listdir(root)",
        "",
        "collect_sources('.')"
    ]
};

describe("workspace bench questions", () => {
    it("finds declarations in TS, JS and Python, not in other files or long lines", () => {
        assert.equal(
            declarationOn("export declare function parseHttpRequest(text: string): X;", "a.d.ts"),
            "parseHttpRequest"
        );
        assert.equal(
            declarationOn("export const splitLines = async (t) => t;", "a.ts"),
            "splitLines"
        );
        assert.equal(declarationOn("const limit = 10;", "a.ts"), undefined);
        assert.equal(declarationOn("async def fetch_all(self):", "m.py"), "fetch_all");
        assert.equal(declarationOn("function x() {}", "README.md"), undefined);
        assert.equal(declarationOn(`function ${"a".repeat(400)}() {}`, "a.js"), undefined);
        const found = findDeclarations([lib, types, py]);
        assert.deepEqual(found.get("parseHttpRequest"), [
            { name: "parseHttpRequest", file: "pkg/lib/request.js", line: 2 },
            { name: "parseHttpRequest", file: "pkg/index.d.ts", line: 4 }
        ]);
        assert.deepEqual(found.get("RequestQueue"), [
            { name: "RequestQueue", file: "pkg/lib/request.js", line: 7 }
        ]);
        assert.deepEqual(found.get("collect_sources"), [
            { name: "collect_sources", file: "tools/build.py", line: 3 }
        ]);
    });

    it("finds call sites, not declarations, comments or `new`", () => {
        const calls = findCalls(
            [lib, types, py],
            new Set(["parseHttpRequest", "splitHeaderLines", "collect_sources", "RequestQueue"])
        );
        assert.deepEqual(
            calls.get("parseHttpRequest")?.map((c) => c.line),
            [8]
        );
        assert.deepEqual(
            calls.get("splitHeaderLines")?.map((c) => c.line),
            [3]
        );
        assert.deepEqual(
            calls.get("collect_sources")?.map((c) => `${c.file}:${c.line}`),
            ["tools/build.py:6"]
        );
        assert.equal(calls.get("RequestQueue"), undefined);
    });

    it("makes the same questions for the same seed, with known answers, split by name", () => {
        const a = makeQuestions([lib, types, py], 5, 7);
        const b = makeQuestions([py, types, lib], 5, 7);
        assert.deepEqual(a, b);
        const definition = a.find((q) => q.kind === "definition" && q.name === "parseHttpRequest");
        assert.ok(definition, JSON.stringify(a));
        assert.deepEqual(definition.answers, [
            { file: "pkg/index.d.ts", lines: [4] },
            { file: "pkg/lib/request.js", lines: [2] }
        ]);
        const callers = a.find((q) => q.kind === "callers" && q.name === "splitHeaderLines");
        assert.deepEqual(callers?.answers, [{ file: "pkg/lib/request.js", lines: [3] }]);
        const worded = makeQuestions([lib, types, py], 2, 7).filter((q) => q.kind === "words");
        assert.ok(worded.length > 0);
        for (const q of worded)
            assert.ok(
                !q.text.includes(q.name) && q.answers.length > 0,
                `a worded question names no identifier: ${q.text}`
            );
        for (const q of a) assert.equal(q.split, splitOf(`${q.kind}:${q.name}`));
        assert.ok(new Set(["dev", "heldOut"]).has(splitOf("anything")));
    });
});

describe("workspace bench scoring", () => {
    const answers = [{ file: "pkg/lib/request.js", lines: [2, 45] }];
    it("ranks the first chunk of the answer file that covers an answer line", () => {
        assert.equal(
            firstHitRank(
                [
                    { relativePath: "pkg/index.d.ts", startLine: 1, endLine: 10 },
                    { relativePath: "pkg/lib/request.js", startLine: 3, endLine: 30 },
                    { relativePath: "pkg/lib/request.js", startLine: 31, endLine: 45 }
                ],
                answers
            ),
            3
        );
        assert.equal(
            firstHitRank(
                [{ relativePath: "other/request.js", startLine: 1, endLine: 50 }],
                answers
            ),
            undefined
        );
    });

    it("summarizes recall@k and MRR@10", () => {
        const s = summarizeRanks([1, 3, 6, undefined]);
        assert.deepEqual(s, {
            n: 4,
            recallAt1: 0.25,
            recallAt5: 0.5,
            recallAt10: 0.75,
            mrr: (1 + 1 / 3 + 1 / 6) / 4
        });
        assert.ok(Number.isNaN(summarizeRanks([]).mrr));
        assert.equal(summarizeRanks([11]).mrr, 0);
    });
});
