import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import type { LlamaModel, Token } from "node-llama-cpp";
import { readFimFormat, type FimFormat } from "../../src/engine/fim/fimTokens";
import { buildPrompt } from "../../src/engine/completion/promptBuilder";
import {
    afterHealed,
    healingCut,
    HEAL_MAX_TOKENS,
    VocabularyIndex,
    vocabularyIndex
} from "../../src/engine/completion/tokenHealing";
import { loadVocabModel, unexpectedErrors } from "../support/vocabModel";

describe("token healing rules (goldens)", () => {
    it("backs off the last token, and more while the word at the cursor reaches back", () => {
        assert.equal(healingCut([]), 0);
        assert.equal(healingCut(["   ", " return"]), 1, "a whole word in one token");
        assert.equal(
            healingCut([" self", ".", "game", ".", "v", "ie"]),
            2,
            "`vie` is `v` `ie`: both go"
        );
        assert.equal(healingCut([" $", "{"]), 1, "after a symbol: the symbol's token");
        assert.equal(healingCut(["    "]), 1, "indentation only: the indentation's token");
        assert.equal(
            healingCut(["a", "b", "c", "d", "e", "f"]),
            HEAL_MAX_TOKENS,
            "never more than HEAL_MAX_TOKENS"
        );
        assert.equal(healingCut(["x", "y"]), 2, "never more than the line has");
    });
    it("shows what follows the healed text, nothing while it is not caught up or left", () => {
        assert.equal(afterHealed("view.setup()", "vie"), "w.setup()");
        assert.equal(afterHealed("vi", "vie"), undefined);
        assert.equal(afterHealed("value", "vie"), undefined);
        assert.equal(afterHealed("abc", ""), "abc");
    });
    it("allows the tokens that agree with the rest of the healed text", () => {
        const index = new VocabularyIndex([
            "",
            " re",
            " ret",
            " return",
            " returns",
            " r",
            "x",
            " rex",
            "return"
        ]);
        assert.deepEqual(index.compatible(" ret"), [1, 2, 3, 4, 5]);
        assert.deepEqual(index.compatible(""), []);
    });
});

describe("token healing in the FIM prompt (deepseek-coder vocabulary)", () => {
    let model: LlamaModel;
    let format: FimFormat;
    let llamaLog: string[];
    before(async () => {
        ({ model, llamaLog } = await loadVocabModel("vocab-deepseek-coder.gguf"));
        format = readFimFormat(model)!;
    });
    after(async () => {
        await model?.dispose();
    });

    it("captures llama.cpp's expected complaint about the missing weights instead of printing it", () => {
        assert.deepEqual(unexpectedErrors(llamaLog), []);
    });

    it("ends the prompt before the word at the cursor and returns it as the text to heal", () => {
        const prefix = "class A:\n    def run(self):\n        self.game.vie";
        const built = buildPrompt(model, format, {
            prefix,
            suffix: "\n",
            path: "a.py",
            chunks: [],
            budget: 256,
            heal: true
        });
        const afterMid = model.detokenize(
            built.tokens.slice(built.tokens.indexOf(format.middle) + 1)
        );
        assert.equal(built.heal, "vie");
        assert.equal(
            afterMid + built.heal,
            "        self.game.vie",
            "prompt + healed text = the typed line"
        );
        const plain = buildPrompt(model, format, {
            prefix,
            suffix: "\n",
            path: "a.py",
            chunks: [],
            budget: 256
        });
        assert.equal(plain.heal, "", "off unless asked");
        assert.equal(
            model.detokenize(plain.tokens.slice(plain.tokens.indexOf(format.middle) + 1)),
            "        self.game.vie"
        );
    });
    it("heals indentation too: an indentation-only line ends the prompt at <MID>", () => {
        const built = buildPrompt(model, format, {
            prefix: "if x:\n    ",
            suffix: "\n",
            path: "a.py",
            chunks: [],
            budget: 256,
            heal: true
        });
        assert.equal(built.heal, "    ");
        assert.equal(built.tokens.at(-1), format.middle);
    });
    it("indexes the whole vocabulary once: the tokens that agree with a word's rest all start with it or lead into it", async () => {
        const index = await vocabularyIndex(model);
        assert.equal(await vocabularyIndex(model), index, "built once per model");
        const tokens = index.compatible("vie");
        const texts = tokens.map((t) => model.detokenize([t as Token], false));
        assert.ok(texts.includes("view"), "`view` continues `vie`");
        assert.ok(texts.includes("v"), "`v` leads into it");
        assert.ok(texts.every((t) => t.startsWith("vie") || "vie".startsWith(t)));
    });
});
