/**
 * The fill-in-the-middle token layout that llama.cpp's server `/infill` uses (and llama.vscode relies
 * on): the current line, up to the cursor, goes AFTER the middle token.
 *
 *   <PRE> lines before the current line <SUF> text after the cursor <MID> current line up to the cursor
 *
 * While the user types along one line, everything up to and including <MID> stays the same, so a
 * sequence's KV cache keeps it and a keystroke evaluates only the line's new tokens. In the
 * prefix-suffix-middle order a typed character sits before the suffix, which must then be evaluated
 * again on every keystroke. Shared by the engine's inline completion and `serve`'s `/infill`.
 */
import type { Token } from "node-llama-cpp";

export interface FimTokens {
    prefix: Token;
    suffix: Token;
    middle: Token;
}

export interface AfterMidParts {
    /** Lines before the current line (ending with its newline), already cut to fit. */
    before: readonly Token[];
    /** Text after the cursor: the rest of the current line and the lines after it. */
    suffix: readonly Token[];
    /** The current line up to the cursor. */
    line: readonly Token[];
}

export function afterMidLayout(fim: FimTokens, parts: AfterMidParts): Token[] {
    return [fim.prefix, ...parts.before, fim.suffix, ...parts.suffix, fim.middle, ...parts.line];
}

/** Splits text before the cursor into the lines before the current line (with their last newline) and the current line. */
export function splitCurrentLine(prefix: string): { before: string; line: string } {
    const at = prefix.lastIndexOf("\n") + 1;
    return { before: prefix.slice(0, at), line: prefix.slice(at) };
}
