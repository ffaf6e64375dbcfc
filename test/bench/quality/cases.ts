/**
 * Quality cases, made deterministically from a seed over the development set. A case is a source
 * line cut at a cursor: the user typed the start of the line, the rest of that line is removed from
 * the document, the lines after it stay. The removed text (without trailing spaces) is the truth a
 * suggestion's first line is scored against. Pure.
 */
import { seededRandom } from "../stats";
import type { DevFile, Language } from "./devSet";

export interface QualityCase {
    id: number;
    language: Language;
    file: DevFile;
    line: number;
    /** Cursor column: the typed part is `file.lines[line].slice(0, character)`. */
    character: number;
    /** What the user typed of the line. */
    typed: string;
    /** The removed rest of the line, trailing spaces cut: what a perfect first line says. */
    truth: string;
}

/** Most characters of a line that can become a case (longer lines are data, not typing). */
export const MAX_CASE_LINE = 160;

/** A line that can become a case: some code (4+ characters), not a comment or docstring line. */
export function isCaseLine(line: string): boolean {
    const t = line.trim();
    if (t.length < 4 || line.length > MAX_CASE_LINE) return false;
    return !/^(\/\/|\/\*|\*|#|"""|''')/.test(t);
}

/** The document the engine sees: the case's line cut at the cursor, everything else unchanged. */
export function caseDocument(c: QualityCase): string {
    const lines = [...c.file.lines];
    lines[c.line] = c.typed;
    return lines.join("\n");
}

/**
 * `perLanguage[language]` cases per language (0 skips it), chosen uniformly over the eligible lines
 * of that language's files (a big file gives more cases than a small one), never the same line twice;
 * the cursor is uniform from the line's indentation up to its last character (at least one character
 * is left to guess). Ids are 0, 1, 2… in the order JavaScript, TypeScript, Python.
 */
export function makeCases(
    files: readonly DevFile[],
    perLanguage: Readonly<Record<Language, number>>,
    seed: number
): QualityCase[] {
    const cases: QualityCase[] = [];
    for (const language of ["javascript", "typescript", "python"] as const) {
        const want = perLanguage[language];
        if (want <= 0) continue;
        const random = seededRandom((seed * 31 + language.length * 7919) >>> 0);
        const eligible: [DevFile, number][] = [];
        for (const file of files) {
            if (file.language !== language) continue;
            file.lines.forEach((l, n) => {
                if (isCaseLine(l)) eligible.push([file, n]);
            });
        }
        const pool = [...eligible];
        for (let k = 0; k < want && pool.length > 0; k++) {
            const [file, line] = pool.splice(Math.floor(random() * pool.length), 1)[0]!;
            const text = file.lines[line]!.trimEnd();
            const indent = text.length - text.trimStart().length;
            const character = indent + Math.floor(random() * (text.length - indent));
            cases.push({
                id: cases.length,
                language,
                file,
                line,
                character,
                typed: text.slice(0, character),
                truth: text.slice(character)
            });
        }
    }
    return cases;
}

/** How a total splits over the three languages (the remainder goes to the first ones). */
export function splitCount(total: number): Record<Language, number> {
    const base = Math.floor(total / 3);
    const extra = total - base * 3;
    return {
        javascript: base + (extra > 0 ? 1 : 0),
        typescript: base + (extra > 1 ? 1 : 0),
        python: base
    };
}
