/**
 * What is shown of a generated text. Pure functions over strings, used after every generated
 * token (to stop early) and once at the end (to clean up):
 * - multi-line only at the end of a line that opens a block, or on an empty line;
 * - stop at block end (indentation back to or below the cursor's block), when a line repeats what
 *   follows the cursor, and at `maxLines`;
 * - remove text that duplicates what stands right of the cursor, drop closing brackets the suffix
 *   already has, strip trailing whitespace, drop whitespace-only suggestions.
 */

export interface CursorText {
    /** The cursor's line, left of the cursor. */
    linePrefix: string;
    /** The cursor's line, right of the cursor. */
    lineSuffix: string;
    /** Everything after the cursor (capped), starting with `lineSuffix`. */
    suffix: string;
}

export interface TrimResult {
    /** The text to keep so far. */
    text: string;
    /** Generation can stop: a rule cut the text. */
    stop: boolean;
}

const OPENS_BLOCK = /([{([:]|=>|\bthen|\bdo|:=)\s*$/;
const CLOSERS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

function indentOf(line: string): number {
    const match = /^[ \t]*/.exec(line)![0];
    return match.replace(/\t/g, "    ").length;
}

/** Multi-line suggestions only at the end of a line that opens a block, or on an empty line. */
export function allowsMultiLine(cursor: CursorText): boolean {
    if (cursor.lineSuffix.trim() !== "") return false;
    return cursor.linePrefix.trim() === "" || OPENS_BLOCK.test(cursor.linePrefix);
}

function firstSuffixLine(cursor: CursorText): string {
    const rest = cursor.suffix.split("\n").slice(1);
    return (rest.find((line) => line.trim() !== "") ?? "").trim();
}

/** Applies the line rules to `text`; `stop` says that generating more cannot change what is kept. */
export function trimCompletion(text: string, cursor: CursorText, maxLines: number): TrimResult {
    const lines = text.split("\n");
    const multi = allowsMultiLine(cursor);
    if (!multi) {
        if (lines.length === 1) return { text, stop: false };
        // Single line: the first line, or (on an empty first line) nothing.
        return { text: lines[0], stop: true };
    }
    const cursorIndent = indentOf(cursor.linePrefix);
    const opensBlock = OPENS_BLOCK.test(cursor.linePrefix);
    const repeated = firstSuffixLine(cursor);
    const kept: string[] = [lines[0]];
    // The last line may still be growing: judge only complete lines, except for the line limit.
    const complete = lines.length - 1;
    for (let i = 1; i < lines.length; i++) {
        const line = lines[i];
        const isComplete = i < complete;
        if (kept.length >= maxLines) return { text: kept.join("\n"), stop: true };
        if (line.trim() === "") {
            kept.push(line);
            continue;
        }
        const indent = indentOf(line);
        const closes = /^\s*[)\]}]/.test(line);
        if (!isComplete) {
            // An incomplete line already below the block's indent ends the block.
            if (indent < cursorIndent || (opensBlock && indent === cursorIndent && !closes))
                return { text: kept.join("\n"), stop: true };
            kept.push(line);
            continue;
        }
        if (repeated !== "" && line.trim() === repeated)
            return { text: kept.join("\n"), stop: true };
        if (indent < cursorIndent) return { text: kept.join("\n"), stop: true };
        if (opensBlock && indent === cursorIndent) {
            // The block ended; a closing bracket at the block's indent belongs to the suggestion.
            if (closes) kept.push(line);
            return { text: kept.join("\n"), stop: true };
        }
        kept.push(line);
    }
    return { text: kept.join("\n"), stop: false };
}

/**
 * Removes closing brackets at the end of `text` that close nothing in it when the line's suffix
 * already starts with them (the model wrote `foo(a))` before an existing `)`).
 */
export function balanceAgainstSuffix(text: string, lineSuffix: string): string {
    const stack: string[] = [];
    const unmatched: number[] = [];
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === "(" || ch === "[" || ch === "{") stack.push(ch);
        else if (CLOSERS[ch]) {
            if (stack.length > 0 && stack[stack.length - 1] === CLOSERS[ch]) stack.pop();
            else unmatched.push(i);
        }
    }
    if (unmatched.length === 0) return text;
    // The trailing run: unmatched closers, possibly with spaces or ";" between/after them.
    let start = text.length;
    for (let k = unmatched.length - 1; k >= 0; k--) {
        const between = text.slice(unmatched[k] + 1, start);
        if (!/^[\s;]*$/.test(between.replace(/[)\]}]/g, ""))) break;
        start = unmatched[k];
    }
    if (start === text.length || !/^[\s;)\]}]*$/.test(text.slice(start))) return text;
    const closers = text.slice(start).replace(/[^)\]}]/g, "");
    return lineSuffix.trimStart().startsWith(closers) ? text.slice(0, start) : text;
}

/** Removes an ending that repeats what stands right of the cursor. */
export function removeSuffixOverlap(text: string, lineSuffix: string): string {
    const tail = lineSuffix.trim();
    if (tail === "") return text;
    const trimmed = text.trimEnd();
    if (trimmed.endsWith(tail)) return trimmed.slice(0, trimmed.length - tail.length);
    return text;
}

/** The final clean-up of a generated text; "" when nothing worth showing is left. */
export function finalizeCompletion(text: string, cursor: CursorText, maxLines: number): string {
    let result = trimCompletion(text, cursor, maxLines).text;
    result = result
        .split("\n")
        .map((line) => line.replace(/[ \t]+$/, ""))
        .join("\n")
        .replace(/\n+$/, "");
    if (!result.includes("\n")) {
        result = removeSuffixOverlap(result, cursor.lineSuffix);
        result = balanceAgainstSuffix(result, cursor.lineSuffix).replace(/[ \t]+$/, "");
    }
    if (result.trim() === "") return "";
    return result;
}
