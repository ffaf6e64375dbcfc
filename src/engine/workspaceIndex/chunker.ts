/**
 * Cuts a file into chunks for retrieval: at declaration boundaries where the code's shape shows
 * them (a top-level `function`, `class`, `def`, `fn`, … with the comments and decorators above it;
 * inside a long class, at its members), at Markdown headings, otherwise by lines. Chunks are kept
 * between MIN_LINES and MAX_LINES lines (and MAX_CHARS characters), so a hit is a readable piece.
 * Language-agnostic on purpose: no parser per language, the same rules for every file.
 */

export interface Chunk {
    /** 1-based, inclusive. */
    startLine: number;
    endLine: number;
    text: string;
    /** The line the chunk's declaration starts on (its identifiers are weighted up), if it has one. */
    declarationLine?: string;
    /** The name the chunk declares (`refreshToken` of `export async function refreshToken(…)`), if it has one. */
    declares?: string;
}

const NAMED_DECLARATION =
    /\b(?:function\*?|class|interface|type|enum|namespace|module|struct|trait|impl|fn|def|func|object|record|union|const|let|var|val|macro_rules!|procedure|sub)\s+([A-Za-z_$][\w$]*)/;
const CALLABLE_NAME = /([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(/;

/** The name a declaration line declares. */
export function declaredName(line: string): string | undefined {
    if (line.length > 300) return undefined;
    return NAMED_DECLARATION.exec(line)?.[1] ?? CALLABLE_NAME.exec(line)?.[1];
}

export const MAX_LINES = 80;
export const MIN_LINES = 6;
export const WINDOW_LINES = 50;
export const MAX_CHARS = 6000;

const DECLARATION = new RegExp(
    "^(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:abstract\\s+)?(?:async\\s+)?" +
        "(?:(?:public|private|protected|internal|static|sealed|final|override|readonly|pub(?:\\([\\w:]+\\))?|unsafe|extern|inline|virtual|open|data)\\s+)*" +
        "(?:function\\*?|class|interface|type|enum|namespace|module|struct|trait|impl|fn|def|func|object|record|union|const|let|var|val|macro_rules!|template|procedure|sub)\\b"
);
/** `name(args) {` or `name(args): T {`, a method or a C-like function head. */
const CALLABLE_HEAD =
    /^(?:[\w$<>,*&:[\]\s]+\s)?[A-Za-z_$][\w$]*\s*(?:<[^>]*>)?\s*\([^;]*\)\s*(?::\s*[^{;=]+)?\s*(?:\{|=>\s*\{?)?\s*$/;
const COMMENT_OR_DECORATOR = /^\s*(?:\/\/|\/\*|\*|#(?!include)|@[A-Za-z]|--|;;|""")/;
const MARKDOWN_HEADING = /^#{1,6}\s/;
const CLOSING = /^\s*(?:[}\])]|end\b)/;

function indentOf(line: string): number {
    const match = /^[ \t]*/.exec(line)![0];
    let width = 0;
    for (const c of match) width += c === "\t" ? 4 : 1;
    return width;
}

const isBlank = (line: string) => line.trim().length === 0;

/** Whether line `i` starts a declaration at indentation `indent`. */
function startsDeclaration(lines: readonly string[], i: number, indent: number): boolean {
    const line = lines[i];
    if (isBlank(line) || indentOf(line) !== indent) return false;
    const text = line.trim();
    // Long lines (minified code) are never declaration heads here, and keep the patterns linear.
    if (text.length > 300) return false;
    if (CLOSING.test(text) || COMMENT_OR_DECORATOR.test(text)) return false;
    if (DECLARATION.test(text)) return true;
    return (
        CALLABLE_HEAD.test(text) &&
        !/^(?:if|for|while|switch|catch|return|else|do|try)\b/.test(text)
    );
}

/** Moves a boundary up over the comments and decorators that belong to the declaration below. */
function withLeadingComments(lines: readonly string[], start: number, floor: number): number {
    let i = start;
    while (
        i - 1 > floor &&
        !isBlank(lines[i - 1]) &&
        COMMENT_OR_DECORATOR.test(lines[i - 1]) &&
        !CLOSING.test(lines[i - 1])
    )
        i--;
    return i;
}

/** Declaration starts (0-based) in lines [from, to) at the smallest indentation found there. */
function boundaries(
    lines: readonly string[],
    from: number,
    to: number,
    markdown: boolean
): number[] {
    if (markdown) {
        const out: number[] = [];
        for (let i = from; i < to; i++) if (MARKDOWN_HEADING.test(lines[i])) out.push(i);
        return out;
    }
    let indent = Infinity;
    for (let i = from; i < to; i++)
        if (!isBlank(lines[i]) && !COMMENT_OR_DECORATOR.test(lines[i]))
            indent = Math.min(indent, indentOf(lines[i]));
    if (!Number.isFinite(indent)) return [];
    const out: number[] = [];
    for (let i = from; i < to; i++) {
        if (startsDeclaration(lines, i, indent))
            out.push(withLeadingComments(lines, i, out.length ? out[out.length - 1] : from - 1));
    }
    return out;
}

interface Range {
    start: number;
    end: number;
}

/** Splits [start, end) into pieces: at declarations one level in when it is too long, else by windows. */
function split(lines: readonly string[], range: Range, markdown: boolean, depth: number): Range[] {
    if (range.end - range.start <= MAX_LINES) return [range];
    // The members of a long declaration sit one level in: skip its first line when looking for them.
    const inner = range.start + 1;
    const starts =
        depth < 3
            ? boundaries(lines, inner, range.end, markdown).filter((s) => s > range.start)
            : [];
    if (starts.length > 0) {
        const pieces: Range[] = [];
        let from = range.start;
        for (const s of starts) {
            if (s > from) pieces.push({ start: from, end: s });
            from = s;
        }
        pieces.push({ start: from, end: range.end });
        return merge(pieces).flatMap((piece) =>
            piece.end - piece.start > MAX_LINES ? split(lines, piece, markdown, depth + 1) : [piece]
        );
    }
    const out: Range[] = [];
    for (let s = range.start; s < range.end; s += WINDOW_LINES)
        out.push({ start: s, end: Math.min(range.end, s + WINDOW_LINES) });
    return out;
}

/** Joins pieces shorter than MIN_LINES to the next one (or the previous one at the end) while the result stays within MAX_LINES. */
function merge(pieces: Range[]): Range[] {
    const out: Range[] = [];
    for (const piece of pieces) {
        const last = out[out.length - 1];
        if (
            last &&
            (last.end - last.start < MIN_LINES || piece.end - piece.start < MIN_LINES) &&
            piece.end - last.start <= MAX_LINES
        )
            last.end = piece.end;
        else out.push({ ...piece });
    }
    return out;
}

/** Cuts a chunk whose lines are very long (minified code) by characters. */
function limitChars(chunk: Chunk): Chunk[] {
    if (chunk.text.length <= MAX_CHARS) return [chunk];
    const out: Chunk[] = [];
    const lines = chunk.text.split("\n");
    let current: string[] = [];
    let size = 0;
    let start = chunk.startLine;
    const flush = (endLine: number) => {
        if (current.length === 0) return;
        out.push({ startLine: start, endLine, text: current.join("\n") });
        current = [];
        size = 0;
        start = endLine + 1;
    };
    lines.forEach((line, i) => {
        const lineNo = chunk.startLine + i;
        if (size + line.length > MAX_CHARS && current.length > 0) flush(lineNo - 1);
        if (line.length > MAX_CHARS) {
            for (let c = 0; c < line.length; c += MAX_CHARS)
                out.push({
                    startLine: lineNo,
                    endLine: lineNo,
                    text: line.slice(c, c + MAX_CHARS)
                });
            start = lineNo + 1;
            return;
        }
        current.push(line);
        size += line.length + 1;
    });
    flush(chunk.startLine + lines.length - 1);
    if (out[0] && chunk.declarationLine) out[0].declarationLine = chunk.declarationLine;
    if (out[0] && chunk.declares) out[0].declares = chunk.declares;
    return out;
}

/** The chunks of a file's text. `fileName` chooses Markdown headings for `.md` files. */
export function chunkText(text: string, fileName = ""): Chunk[] {
    const lines = text.split(/\r?\n/);
    while (lines.length > 0 && isBlank(lines[lines.length - 1])) lines.pop();
    if (lines.length === 0) return [];
    const markdown = /\.(?:md|markdown|mdx|rst)$/i.test(fileName);
    const starts = boundaries(lines, 0, lines.length, markdown);
    const top: Range[] = [];
    let from = 0;
    for (const s of starts) {
        if (s > from) top.push({ start: from, end: s });
        from = s;
    }
    top.push({ start: from, end: lines.length });
    const ranges = merge(top).flatMap((r) => split(lines, r, markdown, 0));
    const chunks: Chunk[] = [];
    for (const r of ranges) {
        let { start, end } = r;
        while (start < end && isBlank(lines[start])) start++;
        while (end > start && isBlank(lines[end - 1])) end--;
        if (start >= end) continue;
        let declaration: string | undefined =
            markdown && MARKDOWN_HEADING.test(lines[start]) ? lines[start].trim() : undefined;
        for (let i = start; !markdown && i < Math.min(end, start + 12); i++) {
            if (!isBlank(lines[i]) && !COMMENT_OR_DECORATOR.test(lines[i])) {
                declaration = lines[i].trim();
                break;
            }
        }
        const chunk: Chunk = {
            startLine: start + 1,
            endLine: end,
            text: lines.slice(start, end).join("\n")
        };
        if (
            declaration &&
            declaration.length <= 300 &&
            (DECLARATION.test(declaration) ||
                CALLABLE_HEAD.test(declaration) ||
                MARKDOWN_HEADING.test(declaration))
        ) {
            chunk.declarationLine = declaration;
            const name = markdown ? undefined : declaredName(declaration);
            if (name) chunk.declares = name;
        }
        chunks.push(...limitChars(chunk));
    }
    return chunks;
}
