/**
 * The model's own fill-in-the-middle tokens, read from the GGUF through node-llama-cpp. Nothing
 * is hard-coded per model: a model without prefix/suffix/middle tokens cannot do inline completion.
 * Repository-level tokens (Qwen2.5-Coder's `<|repo_name|>` and `<|file_sep|>`) are used only when
 * the vocabulary has them as single special tokens.
 */
import type { LlamaModel, Token } from "node-llama-cpp";

export interface FimFormat {
    prefix: Token;
    suffix: Token;
    middle: Token;
    /** Prepended when the model wants a BOS token. */
    bos?: Token;
    repoName?: Token;
    fileSep?: Token;
    /** Tokens that end a suggestion besides the model's end-of-generation tokens. */
    stopTokens: ReadonlySet<Token>;
}

/** A special token that the vocabulary holds as one token, or undefined. */
export function singleSpecialToken(model: LlamaModel, text: string): Token | undefined {
    const tokens = model.tokenize(text, true);
    if (tokens.length !== 1) return undefined;
    return model.detokenize(tokens, true) === text ? tokens[0] : undefined;
}

/** The model's FIM format, or undefined when it has no FIM tokens. */
export function readFimFormat(model: LlamaModel): FimFormat | undefined {
    const { prefix, suffix, middle } = model.tokens.infill;
    if (prefix == null || suffix == null || middle == null) return undefined;
    const repoName = singleSpecialToken(model, "<|repo_name|>");
    const fileSep = singleSpecialToken(model, "<|file_sep|>");
    const bos =
        model.tokens.shouldPrependBosToken && model.tokens.bos != null
            ? model.tokens.bos
            : undefined;
    const stop = new Set<Token>([prefix, suffix, middle]);
    if (fileSep != null) stop.add(fileSep);
    if (repoName != null) stop.add(repoName);
    return { prefix, suffix, middle, bos, repoName, fileSep, stopTokens: stop };
}
