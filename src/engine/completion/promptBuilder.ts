/**
 * Builds the FIM prompt as tokens, in llama.cpp `/infill`'s layout (see ../fim/afterMidLayout):
 *
 *   [BOS] [cross-file context] <PRE> lines before the current line <SUF> suffix <MID> current line
 *
 * Cross-file context goes first (and the prefix starts on an anchor line), and the current line, the
 * only part that changes while the user types along it, comes last: everything up to <MID> stays in
 * the KV cache until the cursor changes line. The budget is in tokens: the suffix gets up to a
 * quarter (at most SUFFIX_MAX_TOKENS), the context up to a quarter, the current line a fixed reserve
 * (LINE_MAX_TOKENS, at most an eighth), the lines before the rest; those are cut at their start in
 * steps of whole lines, the suffix at its end, the current line at its start.
 */
import type { Token } from "node-llama-cpp";
import type { Chunk } from "./contextChunks";
import { afterMidLayout, splitCurrentLine } from "../fim/afterMidLayout";
import type { FimFormat } from "../fim/fimTokens";
import { healingCut } from "./tokenHealing";

/** The suffix's share of the budget is also what a jump to another line evaluates again. */
export const SUFFIX_MAX_TOKENS = 96;

/**
 * Tokens reserved for the current line (left of the cursor). A fixed reserve, not the line's length,
 * so that typing does not change the room of the lines before and move their cut.
 */
export const LINE_MAX_TOKENS = 96;

export interface Tokenizer {
    tokenize(text: string, specialTokens?: boolean): Token[];
    detokenize?(tokens: readonly Token[], specialTokens?: boolean): string;
}

export interface PromptInput {
    prefix: string;
    suffix: string;
    /** Shown path of the current file (repo-level format only). */
    path: string;
    chunks: readonly Chunk[];
    budget: number;
    /** Token healing (tokenHealing.ts): back off the last tokens of the current line; needs `detokenize`. */
    heal?: boolean;
}

export interface BuiltPrompt {
    tokens: Token[];
    /** Token counts of each part, for tests and timings: `prefix` is the lines before the current line. */
    parts: { context: number; prefix: number; suffix: number; line: number };
    /** How many chunks made it in. */
    chunksUsed: number;
    /** Text backed off the end of the current line (token healing): generation must start with it. */
    heal: string;
}

/** Lines dropped from the start of the prefix at a time: the cut stays put while the user types. */
export const PREFIX_CUT_LINES = 8;

/**
 * Drops lines from the start, in steps of PREFIX_CUT_LINES counted from the window's first line
 * (itself on an anchor line), until the tokens fit. Typing a character rarely moves the cut, so
 * the head of the prompt stays in the KV cache. Keeps the last line in any case.
 */
function fitFromEnd(tokenizer: Tokenizer, text: string, budget: number): Token[] {
    const whole = tokenizer.tokenize(text, false);
    if (whole.length <= budget) return whole;
    const lines = text.split("\n");
    const last = lines.length - 1;
    const from = (start: number) =>
        tokenizer.tokenize(lines.slice(Math.min(start, last)).join("\n"), false);
    // The smallest start (a multiple of the step) that fits: the same text always gets the same
    // cut, whatever the guess. Guess from the overflow, then walk back or forward.
    let start =
        Math.floor((lines.length * (1 - budget / whole.length)) / PREFIX_CUT_LINES) *
        PREFIX_CUT_LINES;
    let tokens = from(start);
    while (tokens.length > budget && start < last) {
        start += PREFIX_CUT_LINES;
        tokens = from(start);
    }
    while (start >= PREFIX_CUT_LINES) {
        const earlier = from(start - PREFIX_CUT_LINES);
        if (earlier.length > budget) break;
        start -= PREFIX_CUT_LINES;
        tokens = earlier;
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
        end = Math.max(1, Math.floor((end * budget) / cut.length));
        cut = tokenizer.tokenize(lines.slice(0, end).join("\n"), false);
    }
    return cut.length <= budget ? cut : cut.slice(0, budget);
}

function chunkTokens(tokenizer: Tokenizer, format: FimFormat, chunk: Chunk): Token[] {
    if (format.fileSep != null)
        return [format.fileSep, ...tokenizer.tokenize(`${chunk.path}\n${chunk.text}\n`, false)];
    return tokenizer.tokenize(`// ${chunk.path}\n${chunk.text}\n\n`, false);
}

export function buildPrompt(
    tokenizer: Tokenizer,
    format: FimFormat,
    input: PromptInput
): BuiltPrompt {
    const budget = Math.max(32, input.budget);
    const suffixBudget = Math.min(SUFFIX_MAX_TOKENS, Math.floor(budget / 4));
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
    if (format.fileSep != null && chunksUsed > 0)
        context.push(format.fileSep, ...tokenizer.tokenize(`${input.path}\n`, false));

    const suffix = fitFromStart(tokenizer, input.suffix, suffixBudget);
    const lineBudget = Math.min(LINE_MAX_TOKENS, Math.floor(budget / 8));
    const { before, line } = splitCurrentLine(input.prefix);
    const lineTokens = tokenizer.tokenize(line, false);
    let lineKept =
        lineTokens.length <= lineBudget
            ? lineTokens
            : lineTokens.slice(lineTokens.length - lineBudget);
    let heal = "";
    if (input.heal && tokenizer.detokenize && lineKept.length > 0) {
        const detokenize = tokenizer.detokenize.bind(tokenizer);
        const cut = healingCut(lineKept.map((t) => detokenize([t], false)));
        heal = detokenize(lineKept.slice(lineKept.length - cut), false);
        lineKept = lineKept.slice(0, lineKept.length - cut);
    }
    // The lines before get what the reserves leave, not what the suffix and line happen to use: their
    // cut then depends only on their own text, and stays put when the suffix changes with the cursor.
    const prefix =
        before === ""
            ? []
            : fitFromEnd(tokenizer, before, budget - context.length - suffixBudget - lineBudget);

    const tokens: Token[] = [];
    if (format.bos != null) tokens.push(format.bos);
    tokens.push(...context, ...afterMidLayout(format, { before: prefix, suffix, line: lineKept }));
    return {
        tokens,
        parts: {
            context: context.length,
            prefix: prefix.length,
            suffix: suffix.length,
            line: lineKept.length
        },
        chunksUsed,
        heal
    };
}
