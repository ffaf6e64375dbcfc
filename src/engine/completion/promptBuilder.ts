/**
 * Builds the FIM prompt as tokens:
 *
 *   [BOS] [cross-file context] <prefix-token> prefix <suffix-token> suffix <middle-token>
 *
 * Cross-file context goes first (and the prefix starts on an anchor line), so the head of the
 * prompt is the same from one keystroke to the next and stays in the KV cache. The budget is in
 * tokens: the suffix gets up to a quarter, the context up to a quarter, the prefix the rest; the
 * prefix is cut at its start on line boundaries, the suffix at its end.
 */
import type { Token } from "node-llama-cpp";
import type { Chunk } from "./contextChunks";
import type { FimFormat } from "./fimFormat";

export interface Tokenizer {
    tokenize(text: string, specialTokens?: boolean): Token[];
}

export interface PromptInput {
    prefix: string;
    suffix: string;
    /** Shown path of the current file (repo-level format only). */
    path: string;
    chunks: readonly Chunk[];
    budget: number;
}

export interface BuiltPrompt {
    tokens: Token[];
    /** Token counts of each part, for tests and timings. */
    parts: { context: number; prefix: number; suffix: number };
    /** How many chunks made it in. */
    chunksUsed: number;
}

/** Drops whole lines from the start until the tokens fit (keeps the last line in any case). */
function fitFromEnd(tokenizer: Tokenizer, text: string, budget: number): Token[] {
    let tokens = tokenizer.tokenize(text, false);
    if (tokens.length <= budget) return tokens;
    // Cut by lines, in steps, so the same text gives the same cut (KV cache stability).
    const lines = text.split("\n");
    let start = 0;
    while (tokens.length > budget && start < lines.length - 1) {
        start += Math.max(1, Math.ceil((lines.length - start) * (1 - budget / tokens.length)));
        start = Math.min(start, lines.length - 1);
        tokens = tokenizer.tokenize(lines.slice(start).join("\n"), false);
    }
    return tokens.length <= budget ? tokens : tokens.slice(tokens.length - budget);
}

/** Keeps whole lines from the start while they fit. */
function fitFromStart(tokenizer: Tokenizer, text: string, budget: number): Token[] {
    const tokens = tokenizer.tokenize(text, false);
    if (tokens.length <= budget) return tokens;
    const lines = text.split("\n");
    let end = lines.length;
    let cut = tokens;
    while (cut.length > budget && end > 1) {
        end = Math.max(1, Math.floor(end * budget / cut.length));
        cut = tokenizer.tokenize(lines.slice(0, end).join("\n"), false);
    }
    return cut.length <= budget ? cut : cut.slice(0, budget);
}

function chunkTokens(tokenizer: Tokenizer, format: FimFormat, chunk: Chunk): Token[] {
    if (format.fileSep != null) return [format.fileSep, ...tokenizer.tokenize(`${chunk.path}\n${chunk.text}\n`, false)];
    return tokenizer.tokenize(`// ${chunk.path}\n${chunk.text}\n\n`, false);
}

export function buildPrompt(tokenizer: Tokenizer, format: FimFormat, input: PromptInput): BuiltPrompt {
    const budget = Math.max(32, input.budget);
    const suffixBudget = Math.floor(budget / 4);
    const contextBudget = Math.floor(budget / 4);

    const context: Token[] = [];
    let chunksUsed = 0;
    for (const chunk of input.chunks) {
        const tokens = chunkTokens(tokenizer, format, chunk);
        if (context.length + tokens.length > contextBudget) continue;
        context.push(...tokens);
        chunksUsed++;
    }
    // Repo-level format: the current file is announced like the others.
    if (format.fileSep != null && chunksUsed > 0) context.push(format.fileSep, ...tokenizer.tokenize(`${input.path}\n`, false));

    const suffix = fitFromStart(tokenizer, input.suffix, suffixBudget);
    const prefixBudget = budget - context.length - suffix.length;
    const prefix = fitFromEnd(tokenizer, input.prefix, prefixBudget);

    const tokens: Token[] = [];
    if (format.bos != null) tokens.push(format.bos);
    tokens.push(...context, format.prefix, ...prefix, format.suffix, ...suffix, format.middle);
    return { tokens, parts: { context: context.length, prefix: prefix.length, suffix: suffix.length }, chunksUsed };
}
