/**
 * The text around the cursor, read with hard caps so that hostile documents (one huge line,
 * binary bytes, a 10 MB file) cost the same as a normal one: never more than a few KiB are
 * copied, split or tokenized per keystroke.
 */
import type { Position } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";

export const WINDOW_LIMITS = {
    /** Lines above the cursor considered for the prefix. */
    prefixLines: 120,
    /** Lines below the cursor considered for the suffix. */
    suffixLines: 40,
    /** Characters of the prefix / suffix window, whatever the line count. */
    prefixChars: 6000,
    suffixChars: 2000,
    /** Lines longer than this (minified code, data) are cut. */
    lineChars: 400,
    /** Documents larger than this get no automatic completion. */
    documentChars: 2_000_000,
    /** Characters right of the cursor that still allow an automatic completion. */
    rightOfCursorChars: 12,
    /** Prefix windows start on a multiple of this many lines, so the prompt's head stays stable. */
    anchorLines: 16
} as const;

export interface CursorWindow {
    /** Text before the cursor, starting at `startLine`. */
    prefix: string;
    /** Text after the cursor. */
    suffix: string;
    /** The cursor's line, left of the cursor. */
    linePrefix: string;
    /** The cursor's line, right of the cursor. */
    lineSuffix: string;
    /** First document line in `prefix` (a multiple of WINDOW_LIMITS.anchorLines when possible). */
    startLine: number;
}

export type WindowResult = { ok: true; window: CursorWindow } | { ok: false; reason: string };

function capLine(line: string): string {
    return line.length > WINDOW_LIMITS.lineChars ? line.slice(0, WINDOW_LIMITS.lineChars) : line;
}

/** Binary content: NUL bytes or many control characters near the cursor. */
export function looksBinary(text: string): boolean {
    if (text.includes("\u0000")) return true;
    let control = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
    }
    return control > 8 && control > text.length / 100;
}

function readLine(document: TextDocument, line: number): string {
    const text = document.getText({
        start: { line, character: 0 },
        end: { line, character: WINDOW_LIMITS.lineChars + 2 }
    });
    return capLine(text.replace(/\r?\n$/, "").replace(/\r$/, ""));
}

/**
 * Reads the window around `position` through ranges only (never `getText()` of the whole document).
 * The prefix starts on an anchor line (a multiple of `anchorLines`), so that from one keystroke to
 * the next, and when the cursor moves a few lines, the head of the prompt stays the same and its
 * KV cache is reused.
 */
export function readCursorWindow(document: TextDocument, position: Position): WindowResult {
    const lineCount = document.lineCount;
    const line = Math.min(Math.max(0, position.line), lineCount - 1);
    const fullLine = document
        .getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } })
        .replace(/\r?\n$/, "");
    const character = Math.min(position.character, fullLine.length);
    // A cursor deep inside a huge line: only the last lineChars before it count.
    const linePrefix = fullLine.slice(Math.max(0, character - WINDOW_LIMITS.lineChars), character);
    const lineSuffix = fullLine.slice(character, character + WINDOW_LIMITS.lineChars);

    const anchor = WINDOW_LIMITS.anchorLines;
    let startLine = Math.max(0, line - WINDOW_LIMITS.prefixLines);
    startLine -= startLine % anchor;
    const above: string[] = []; // above[i] is line (line - 1 - i)
    let chars = linePrefix.length;
    for (let l = line - 1; l >= startLine; l--) {
        const text = readLine(document, l);
        chars += text.length + 1;
        if (chars > WINDOW_LIMITS.prefixChars) {
            // Too long: start at the next anchor below this line, so the head stays put for a while.
            startLine = Math.min(line, l + 1 + ((anchor - ((l + 1) % anchor)) % anchor));
            break;
        }
        above.push(text);
    }
    const kept = above.slice(0, line - startLine).reverse();
    const prefix = [...kept, linePrefix].join("\n");

    const below: string[] = [lineSuffix];
    chars = lineSuffix.length;
    const lastLine = Math.min(lineCount - 1, line + WINDOW_LIMITS.suffixLines);
    for (let l = line + 1; l <= lastLine; l++) {
        const text = readLine(document, l);
        chars += text.length + 1;
        if (chars > WINDOW_LIMITS.suffixChars) break;
        below.push(text);
    }
    const suffix = below.join("\n");
    if (looksBinary(prefix.slice(-2000)) || looksBinary(suffix.slice(0, 1000))) {
        return { ok: false, reason: "The file looks binary; no completion." };
    }
    return { ok: true, window: { prefix, suffix, linePrefix, lineSuffix, startLine } };
}
