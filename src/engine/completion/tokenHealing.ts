/**
 * Token healing. The cursor usually sits inside a word or after indentation, so the prompt would end
 * in a token the model rarely saw there (`vie` as `v` `ie` where training had ` view`). The prompt
 * builder backs off the last tokens of the current line (`healingCut`) and generation must then start
 * with their text: while it has not caught up, only tokens that agree with the rest of that text can
 * be chosen (`VocabularyIndex.compatible`), and the text shown is what follows it (`afterHealed`).
 */
import type { Token } from "node-llama-cpp";

/** Most tokens backed off the end of the line. */
export const HEAL_MAX_TOKENS = 4;

/**
 * How many trailing tokens of the current line to back off, given their texts: the last one, and
 * more while the word the cursor is in (letters, digits, `_`, `$`) reaches further back, at most
 * HEAL_MAX_TOKENS, never more than the line has.
 */
export function healingCut(texts: readonly string[]): number {
    if (texts.length === 0) return 0;
    const word = /[\p{L}\p{N}_$]+$/u.exec(texts.join(""))?.[0].length ?? 0;
    let n = 1;
    let covered = texts[texts.length - 1]!.length;
    while (n < Math.min(HEAL_MAX_TOKENS, texts.length) && covered < word) {
        n++;
        covered += texts[texts.length - n]!.length;
    }
    return n;
}

/** What generation shows once it has produced `healed` first: undefined while it has not caught up (or went elsewhere). */
export function afterHealed(text: string, healed: string): string | undefined {
    if (healed === "") return text;
    return text.length >= healed.length && text.startsWith(healed)
        ? text.slice(healed.length)
        : undefined;
}

/** The text of every token of a vocabulary, to find the tokens that agree with a text. */
export class VocabularyIndex {
    constructor(private readonly texts: readonly string[]) {}

    /**
     * Tokens whose text agrees with `rest`, the part of the healed text not generated yet: it starts
     * with `rest`, or is a non-empty start of it. Tokens without text (control, partial bytes) never agree.
     */
    compatible(rest: string): Token[] {
        const out: Token[] = [];
        if (rest === "") return out;
        this.texts.forEach((text, token) => {
            if (text !== "" && (text.startsWith(rest) || rest.startsWith(text)))
                out.push(token as Token);
        });
        return out;
    }
}

interface DetokenizingModel {
    detokenize(tokens: readonly Token[], specialTokens?: boolean): string;
    readonly fileInfo: { metadata?: { tokenizer?: { ggml?: { tokens?: readonly string[] } } } };
}

const indexes = new WeakMap<object, Promise<VocabularyIndex>>();
/** Tokens detokenized between two yields to the event loop while the index is built. */
const INDEX_SLICE = 2048;

/**
 * The model's vocabulary index, built once per model (a detokenize call per token) in slices, so
 * that building it (a second or so on a loaded machine) never blocks the engine's event loop.
 */
export function vocabularyIndex(model: DetokenizingModel): Promise<VocabularyIndex> {
    let index = indexes.get(model);
    if (!index) {
        index = (async () => {
            const size = model.fileInfo.metadata?.tokenizer?.ggml?.tokens?.length ?? 0;
            const texts: string[] = [];
            for (let token = 0; token < size; token++) {
                if (token > 0 && token % INDEX_SLICE === 0)
                    await new Promise((resolve) => setImmediate(resolve));
                const text = model.detokenize([token as Token], false);
                texts.push(text.includes("\uFFFD") ? "" : text);
            }
            return new VocabularyIndex(texts);
        })();
        indexes.set(model, index);
    }
    return index;
}
