import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import type { LlamaModel } from "node-llama-cpp";
import {
    chunkText,
    ChunkStore,
    jaccard,
    identifiersOf
} from "../../src/engine/completion/contextChunks";
import { readFimFormat, type FimFormat } from "../../src/engine/fim/fimTokens";
import { buildPrompt } from "../../src/engine/completion/promptBuilder";
import { loadVocabModel, unexpectedErrors } from "../support/vocabModel";

const PREFIX = "def area(radius):\n    import math\n    return ";
const SUFFIX = "\n\nprint(area(2))\n";

for (const file of ["vocab-deepseek-coder.gguf", "vocab-starcoder.gguf"]) {
    describe(`FIM prompt with the ${file} vocabulary`, () => {
        let model: LlamaModel;
        let format: FimFormat;
        let llamaLog: string[];
        before(async () => {
            ({ model, llamaLog } = await loadVocabModel(file));
            format = readFimFormat(model)!;
        });
        after(async () => {
            await model?.dispose();
        });

        it("captures llama.cpp's expected complaint about the missing weights instead of printing it", () => {
            assert.ok(
                llamaLog.some((line) => line.includes("missing tensor 'token_embd.weight'")),
                llamaLog.join("\n")
            );
            assert.deepEqual(unexpectedErrors(llamaLog), []);
        });

        it("reads the model's own FIM tokens, and no repo tokens it does not have", () => {
            assert.ok(format, "the vocabulary has FIM tokens");
            assert.equal(format.prefix, model.tokens.infill.prefix);
            assert.equal(format.suffix, model.tokens.infill.suffix);
            assert.equal(format.middle, model.tokens.infill.middle);
            // Neither vocabulary has Qwen's single-token <|repo_name|>/<|file_sep|>.
            assert.equal(format.repoName, undefined);
        });

        it("lays out [BOS] <PRE> lines before <SUF> suffix <MID> current line (llama.cpp /infill's layout)", () => {
            const built = buildPrompt(model, format, {
                prefix: PREFIX,
                suffix: SUFFIX,
                path: "geo.py",
                chunks: [],
                budget: 256
            });
            const t = built.tokens;
            const start = format.bos != null ? 1 : 0;
            if (format.bos != null) assert.equal(t[0], format.bos);
            assert.equal(t[start], format.prefix);
            const suffixAt = t.indexOf(format.suffix);
            const middleAt = t.indexOf(format.middle);
            assert.ok(start < suffixAt && suffixAt < middleAt);
            assert.equal(
                model.detokenize(t.slice(start + 1, suffixAt)),
                "def area(radius):\n    import math\n"
            );
            assert.equal(model.detokenize(t.slice(suffixAt + 1, middleAt)), SUFFIX);
            assert.equal(
                model.detokenize(t.slice(middleAt + 1)),
                "    return ",
                "the current line up to the cursor comes last"
            );
            assert.deepEqual(built.parts, {
                context: 0,
                prefix: suffixAt - start - 1,
                suffix: middleAt - suffixAt - 1,
                line: t.length - middleAt - 1
            });
        });

        it("typing along a line changes only the tokens after <MID>; another line changes what follows <PRE>'s lines", () => {
            const a = buildPrompt(model, format, {
                prefix: PREFIX,
                suffix: SUFFIX,
                path: "geo.py",
                chunks: [],
                budget: 256
            });
            const typed = buildPrompt(model, format, {
                prefix: PREFIX + "math.p",
                suffix: SUFFIX,
                path: "geo.py",
                chunks: [],
                budget: 256
            });
            const headEnd = a.tokens.indexOf(format.middle) + 1;
            assert.deepEqual(typed.tokens.slice(0, headEnd), a.tokens.slice(0, headEnd));
            assert.ok(typed.tokens.length > a.tokens.length);
            const nextLine = buildPrompt(model, format, {
                prefix: PREFIX + "1\n",
                suffix: SUFFIX,
                path: "geo.py",
                chunks: [],
                budget: 256
            });
            assert.notDeepEqual(nextLine.tokens.slice(0, headEnd), a.tokens.slice(0, headEnd));
            assert.equal(
                nextLine.tokens.at(-1),
                format.middle,
                "an empty current line: nothing after <MID>"
            );
        });

        it("keeps a long current line's end, within its reserve", () => {
            const line = Array.from({ length: 60 }, (_, i) => `v${i}`).join(" + ");
            const built = buildPrompt(model, format, {
                prefix: `x = 1\n${line}`,
                suffix: "",
                path: "x.py",
                chunks: [],
                budget: 256
            });
            assert.equal(built.parts.line, 256 / 8);
            assert.ok(
                model
                    .detokenize(built.tokens.slice(built.tokens.indexOf(format.middle) + 1))
                    .endsWith("v58 + v59")
            );
        });

        it("keeps within the token budget: the prefix loses whole lines at its start, the suffix at its end", () => {
            const longPrefix =
                Array.from({ length: 200 }, (_, i) => `line_${i} = ${i}`).join("\n") +
                "\nresult = ";
            const longSuffix =
                "\n" + Array.from({ length: 200 }, (_, i) => `after_${i}()`).join("\n");
            const built = buildPrompt(model, format, {
                prefix: longPrefix,
                suffix: longSuffix,
                path: "x.py",
                chunks: [],
                budget: 200
            });
            assert.ok(built.tokens.length <= 200 + 4, `prompt ${built.tokens.length} tokens`);
            assert.ok(built.parts.suffix <= 50, `suffix ${built.parts.suffix}`);
            const text = model.detokenize(built.tokens, false);
            assert.ok(text.includes("line_199 = 199\n"), "the lines nearest the cursor stay");
            assert.ok(
                model.detokenize(built.tokens.slice(built.tokens.indexOf(format.middle) + 1)) ===
                    "result = ",
                "the current line comes last"
            );
            assert.ok(!text.includes("line_0 = 0\n"), "the oldest lines go");
            assert.ok(text.includes("after_0()"), "the suffix keeps its first lines");
            // Cut on line boundaries: the prefix text starts at the beginning of a line.
            const prefixText = model.detokenize(
                built.tokens.slice(
                    built.tokens.indexOf(format.prefix) + 1,
                    built.tokens.indexOf(format.suffix)
                )
            );
            assert.match(prefixText, /^line_\d+ = \d+\n/);
            // Typing at the cursor does not move the cut: everything up to <MID> stays (KV cache).
            const typed = buildPrompt(model, format, {
                prefix: longPrefix + "x",
                suffix: longSuffix,
                path: "x.py",
                chunks: [],
                budget: 200
            });
            const headEnd = built.tokens.indexOf(format.middle) + 1;
            assert.deepEqual(typed.tokens.slice(0, headEnd), built.tokens.slice(0, headEnd));
        });

        it("puts cross-file context first, and the same input gives the same head (KV cache stability)", () => {
            const store = new ChunkStore();
            store.remember(
                "file:///p/math_utils.py",
                () =>
                    "def circle_area(radius):\n    return math.pi * radius * radius\n\ndef square(side):\n    return side * side\n"
            );
            store.remember(
                "file:///p/unrelated.txt",
                () =>
                    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n"
            );
            const chunks = store.select(
                "file:///p/geo.py",
                "def area(radius):\n    return math.pi * radius"
            );
            assert.equal(chunks.length, 1, "only the similar file is chosen");
            const a = buildPrompt(model, format, {
                prefix: PREFIX,
                suffix: SUFFIX,
                path: "p/geo.py",
                chunks,
                budget: 512
            });
            const b = buildPrompt(model, format, {
                prefix: PREFIX + "ma",
                suffix: SUFFIX,
                path: "p/geo.py",
                chunks,
                budget: 512
            });
            assert.ok(a.parts.context > 0 && a.chunksUsed === 1);
            const headEnd = a.tokens.indexOf(format.prefix);
            assert.ok(headEnd > a.parts.context - 1, "context comes before the FIM prefix token");
            assert.ok(model.detokenize(a.tokens.slice(0, headEnd), false).includes("circle_area"));
            let same = 0;
            while (same < a.tokens.length && a.tokens[same] === b.tokens[same]) same++;
            assert.ok(
                same > a.tokens.indexOf(format.middle),
                `a one-char edit keeps ${same} of ${a.tokens.length} tokens`
            );
        });
    });
}

describe("cross-file context chunks", () => {
    it("scores by Jaccard similarity of identifiers and deduplicates", () => {
        assert.equal(
            jaccard(identifiersOf("alpha beta gamma"), identifiersOf("alpha beta delta")),
            2 / 4
        );
        const store = new ChunkStore();
        const body = "function parseConfig(input) {\n    return JSON.parse(input);\n}\n";
        store.remember("file:///a.js", () => body);
        store.remember("file:///b.js", () => body);
        const chosen = store.select("file:///c.js", "const config = parseConfig(input)");
        assert.equal(chosen.length, 1, "identical chunks from two files count once");
    });

    it("never reads more than a capped part of a huge or binary file", () => {
        assert.deepEqual(chunkText("file:///bin", "abc\u0000def".repeat(1000)), []);
        const huge = "let value = 1;\n".repeat(1_000_000);
        const chunks = chunkText("file:///huge.js", huge);
        assert.ok(chunks.length <= 64);
    });
});
