import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { Bm25 } from "../../src/engine/workspaceIndex/bm25";
import { chunkText, MAX_LINES } from "../../src/engine/workspaceIndex/chunker";
import {
    DamagedIndexError,
    decodeIndex,
    encodeIndex
} from "../../src/engine/workspaceIndex/indexStore";
import {
    identifierParts,
    queryTokens,
    termFrequencies,
    tokenize
} from "../../src/engine/workspaceIndex/tokens";
import { reciprocalRankFusion, RRF_K } from "../../src/engine/workspaceIndex/rankFusion";
import {
    decodeVectors,
    encodeVectors,
    normalize,
    VectorStore
} from "../../src/engine/workspaceIndex/vectorStore";

describe("workspace index: tokens", () => {
    it("splits camelCase, PascalCase, snake_case, acronyms and digits, keeping the whole identifier", () => {
        assert.deepEqual(identifierParts("parseHttpRequest"), ["parse", "http", "request"]);
        assert.deepEqual(identifierParts("ParseHTTPRequest"), ["parse", "http", "request"]);
        assert.deepEqual(identifierParts("parse_http_request"), ["parse", "http", "request"]);
        assert.deepEqual(identifierParts("utf8Decoder"), ["utf", "decoder"]);
        assert.deepEqual(tokenize("const x = parseHttpRequest(req);"), [
            "const",
            "parsehttprequest",
            "parse",
            "http",
            "request",
            "req"
        ]);
        assert.deepEqual(tokenize("MAX_RETRY_COUNT"), ["max_retry_count", "max", "retry", "count"]);
    });

    it("drops question words from a question, keeps identifiers", () => {
        assert.deepEqual(queryTokens("@workspace where is parseHttpRequest defined?"), [
            "parsehttprequest",
            "parse",
            "http",
            "request"
        ]);
        assert.deepEqual(queryTokens("what"), ["what"], "a question of stop words only keeps them");
    });
});

describe("workspace index: chunking", () => {
    it("cuts at top-level declarations, with the comment above each one", () => {
        const body = (name: string) => [
            `/** Does ${name}. */`,
            `export function ${name}(a: number): number {`,
            "    const b = a + 1;",
            "    const c = b * 2;",
            "    const d = c - 3;",
            "    return d;",
            "}",
            ""
        ];
        const text = [
            'import * as fs from "node:fs";',
            "",
            ...body("first"),
            ...body("second"),
            ...body("third")
        ].join("\n");
        const chunks = chunkText(text, "a.ts");
        assert.equal(chunks.length, 3, JSON.stringify(chunks.map((c) => [c.startLine, c.endLine])));
        assert.equal(chunks[1].startLine, 11, "the second chunk starts at its doc comment");
        assert.match(chunks[1].text, /^\/\*\* Does second/);
        assert.equal(chunks[1].declarationLine, "export function second(a: number): number {");
        assert.match(chunks[0].text, /^import/, "the imports go with the first declaration");
    });

    it("splits a long class at its methods (Python too) and never makes a chunk longer than the limit", () => {
        const methods = Array.from({ length: 12 }, (_, i) => [
            `    def method_${i}(self, x):`,
            ...Array.from({ length: 10 }, (_, j) => `        x = x + ${j}`),
            "        return x",
            ""
        ]).flat();
        const text = ["class Big:", '    """A big class."""', "", ...methods].join("\n");
        const chunks = chunkText(text, "big.py");
        assert.ok(chunks.length >= 2, `several chunks (${chunks.length})`);
        for (const c of chunks)
            assert.ok(
                c.endLine - c.startLine + 1 <= MAX_LINES,
                `chunk ${c.startLine}-${c.endLine} within ${MAX_LINES} lines`
            );
        assert.ok(
            chunks.some((c) => c.declarationLine?.startsWith("def method_")),
            "a chunk starts at a method"
        );
        const covered = chunks.reduce((n, c) => n + c.endLine - c.startLine + 1, 0);
        assert.ok(
            covered >= text.split("\n").filter((l) => l.trim()).length,
            "every non-blank line is in a chunk"
        );
    });

    it("falls back to line windows for text without declarations, headings for Markdown, and characters for minified lines", () => {
        const prose = Array.from({ length: 200 }, (_, i) => `line ${i} of plain prose`).join("\n");
        const windows = chunkText(prose, "notes.txt");
        assert.ok(windows.length >= 3 && windows.every((c) => c.endLine - c.startLine < MAX_LINES));
        const md = [
            "# Title",
            "intro",
            "",
            "## Install",
            ...Array(10).fill("step"),
            "## Usage",
            ...Array(10).fill("use")
        ].join("\n");
        // The short title section joins the next one; each chunk starts at a heading.
        assert.deepEqual(
            chunkText(md, "README.md").map((c) => c.declarationLine),
            ["# Title", "## Usage"]
        );
        const minified = "var a=1;".repeat(5000);
        const pieces = chunkText(minified, "app.js");
        assert.ok(
            pieces.length >= 6 && pieces.every((c) => c.text.length <= 6000),
            "a 40 kB line is cut into pieces"
        );
        assert.deepEqual(chunkText("\n\n  \n", "empty.ts"), []);
    });
});

describe("workspace index: BM25 ranking", () => {
    const add = (index: Bm25<string>, name: string, text: string) => {
        const tokens = tokenize(text);
        return index.add(termFrequencies(tokens), tokens.length, name);
    };

    it("ranks the chunk with the rare identifier first, and an exact identifier above its parts", () => {
        const index = new Bm25<string>();
        add(index, "defines", "function parseHttpRequest(raw) { return split(raw); }");
        add(index, "parts", "parse the http request later; request http parse");
        for (let i = 0; i < 20; i++)
            add(index, `noise${i}`, `const value${i} = compute(${i}); request.send();`);
        const hits = index.search(queryTokens("where is parseHttpRequest"), 3);
        assert.equal(hits[0].chunk.data, "defines");
        assert.equal(hits[1].chunk.data, "parts");
    });

    it("removing a chunk takes it out of results and of the statistics; many removals sweep the postings", () => {
        const index = new Bm25<string>();
        const ids = Array.from({ length: 30 }, (_, i) =>
            add(index, `c${i}`, `alpha beta gamma${i}`)
        );
        const target = add(index, "target", "zeta unique");
        assert.equal(index.search(["zeta"], 5)[0].chunk.data, "target");
        index.remove(target);
        assert.deepEqual(index.search(["zeta"], 5), []);
        for (const id of ids.slice(0, 20)) index.remove(id);
        assert.equal(index.size, 10);
        const again = add(index, "again", "zeta again");
        assert.equal(index.search(["zeta"], 5)[0].chunk.data, "again");
        assert.equal(index.search(["alpha"], 50).length, 11 - 1, "only live chunks are found");
        assert.ok(index.get(again));
    });
});

describe("workspace index: the index file", () => {
    it("round-trips, and rejects anything else with a DamagedIndexError", () => {
        const stored = {
            terms: ["alpha", "beta"],
            files: new Map([
                [
                    "/w/a.ts",
                    {
                        root: "/w",
                        mtimeMs: 12.5,
                        size: 40,
                        chunks: [
                            { startLine: 1, endLine: 9, length: 5, terms: [0, 1], freqs: [2, 3] }
                        ]
                    }
                ]
            ])
        };
        assert.deepEqual(decodeIndex(encodeIndex(stored)), stored);
        const good = encodeIndex(stored);
        for (const bad of [
            good.slice(0, good.length / 2),
            "",
            "null",
            "[]",
            good.replace("apprentice-workspace-index", "other"),
            good.replace('"version":1', '"version":99'),
            good.replace("[0,2,1,3]", "[7,2,1,3]"),
            good.replace("[0,2,1,3]", "[0,2,1]"),
            good.replace("[1,9,", "[9,1,")
        ]) {
            assert.throws(() => decodeIndex(bad), DamagedIndexError, bad.slice(0, 80));
        }
    });
});

describe("workspace index: fusion by rank and the embeddings file", () => {
    it("reciprocal rank fusion puts what both retrievers rank well above what only one ranks first", () => {
        const lexical = [{ id: 1 }, { id: 2 }, { id: 3 }];
        const semantic = [{ id: 4 }, { id: 2 }, { id: 1 }];
        const fused = reciprocalRankFusion([lexical, semantic]);
        assert.deepEqual(
            fused.map((r) => r.id),
            [1, 2, 4, 3]
        );
        assert.equal(fused[0].score, 1 / (RRF_K + 1) + 1 / (RRF_K + 3));
        assert.deepEqual(
            reciprocalRankFusion([lexical]).map((r) => r.id),
            [1, 2, 3],
            "one ranking keeps its order"
        );
    });

    it("the vectors file round-trips, and anything else is a DamagedIndexError", () => {
        const stored = {
            model: "m|1|2",
            dims: 3,
            keys: ["a\n1\n2\n1\n4", "b\n1\n2\n5\n9"],
            vectors: [normalize([1, 2, 2]), normalize([0, 0, 3])]
        };
        const data = encodeVectors(stored);
        const back = decodeVectors(data);
        assert.equal(back.model, "m|1|2");
        assert.deepEqual(back.keys, stored.keys);
        assert.deepEqual(Array.from(back.vectors[1]), [0, 0, 1]);
        for (const bad of [
            data.subarray(0, data.length - 1),
            Buffer.from("not it"),
            Buffer.concat([data, Buffer.from([0])]),
            Buffer.from(data.toString("latin1").replace('"version":1', '"version":7'), "latin1")
        ]) {
            assert.throws(() => decodeVectors(bad), DamagedIndexError);
        }
    });

    it("vector search ranks by cosine similarity", () => {
        const store = new VectorStore();
        store.set(1, normalize([1, 0]));
        store.set(2, normalize([1, 1]));
        store.set(3, normalize([0, 1]));
        store.set(4, normalize([-1, 0]));
        assert.deepEqual(
            store.search(normalize([1, 0.2]), 2).map((h) => h.id),
            [1, 2]
        );
        assert.deepEqual(
            store.search(normalize([0, 1]), 4).map((h) => h.id),
            [3, 2, 1, 4]
        );
    });
});
