/**
 * Retrieval questions whose answer location is known, generated from a source tree nobody here
 * wrote: "where is `X` defined" (declarations found by a regular expression, at most three per
 * name), "what calls `Y`" (call sites of a declared function, one to five of them) and the same
 * definition asked in words ("the code that parse http request"). Seeded, and split by a hash of
 * the name into a development half (for anyone tuning the index) and a held-out half (reported).
 * Pure: works on file texts given to it.
 */
import { identifierParts } from "../../../src/engine/workspaceIndex/tokens";
import { seededRandom } from "../stats";

export interface TreeFile {
    /** Relative to the indexed folder, with `/`. */
    relativePath: string;
    lines: readonly string[];
}

export interface Declaration {
    name: string;
    file: string;
    /** 1-based. */
    line: number;
}

export type QuestionKind = "definition" | "callers" | "words";
export type Split = "dev" | "heldOut";

/** A place that answers a question: a retrieved chunk of `file` that covers any of `lines` is a hit. */
export interface AnswerPlace {
    file: string;
    lines: number[];
}

export interface Question {
    id: number;
    kind: QuestionKind;
    split: Split;
    name: string;
    text: string;
    answers: AnswerPlace[];
}

const JS_TS_DECLARATION =
    /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\s*\*?|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/;
const JS_FUNCTION_VALUE =
    /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)/;
const PY_DECLARATION = /^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/;
const CALL = /(?<![\w$])([A-Za-z_$][\w$]*)\s*\(/g;
const COMMENT = /^\s*(?:\/\/|\/\*|\*|#)/;
const SOURCE = /\.(?:[cm]?[jt]s|tsx|jsx|py)$/;
const CALLABLE_KINDS =
    /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:function|def)\b|=>|=\s*(?:async\s+)?function\b/;
/** Names too generic to ask about: every codebase has many. */
const GENERIC = new Set([
    "constructor",
    "default",
    "function",
    "require",
    "toString",
    "valueOf",
    "module",
    "exports",
    "index",
    "main",
    "init",
    "setup",
    "options",
    "config"
]);

/** The name a source line declares (TS/JS/Python), if it is a declaration line. */
export function declarationOn(line: string, file: string): string | undefined {
    if (line.length > 300 || !SOURCE.test(file)) return undefined;
    if (file.endsWith(".py")) return PY_DECLARATION.exec(line)?.[1];
    return JS_TS_DECLARATION.exec(line)?.[1] ?? JS_FUNCTION_VALUE.exec(line)?.[1];
}

/** Every declaration in the files, by name. */
export function findDeclarations(files: readonly TreeFile[]): Map<string, Declaration[]> {
    const byName = new Map<string, Declaration[]>();
    for (const file of files) {
        file.lines.forEach((text, i) => {
            const name = declarationOn(text, file.relativePath);
            if (!name) return;
            const list = byName.get(name) ?? [];
            list.push({ name, file: file.relativePath, line: i + 1 });
            byName.set(name, list);
        });
    }
    return byName;
}

/** Lines that call one of `names` (not its declaration line, not a comment), by name. */
export function findCalls(
    files: readonly TreeFile[],
    names: ReadonlySet<string>
): Map<string, Declaration[]> {
    const byName = new Map<string, Declaration[]>();
    for (const file of files) {
        if (!SOURCE.test(file.relativePath)) continue;
        file.lines.forEach((text, i) => {
            if (text.length > 300 || COMMENT.test(text)) return;
            const declared = declarationOn(text, file.relativePath);
            for (const match of text.matchAll(CALL)) {
                const name = match[1]!;
                if (!names.has(name) || name === declared) continue;
                if (/\b(?:function|def|class|new)\s*$/.test(text.slice(0, match.index))) continue;
                const list = byName.get(name) ?? [];
                if (!list.some((c) => c.file === file.relativePath && c.line === i + 1))
                    list.push({ name, file: file.relativePath, line: i + 1 });
                byName.set(name, list);
            }
        });
    }
    return byName;
}

/** FNV-1a of a string: which half of the split a name belongs to, the same in every run. */
export function splitOf(name: string): Split {
    let h = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
    return h % 2 === 0 ? "dev" : "heldOut";
}

function placesOf(list: readonly Declaration[]): AnswerPlace[] {
    const byFile = new Map<string, number[]>();
    for (const d of list) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d.line]);
    return [...byFile].map(([file, lines]) => ({ file, lines }));
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
}

/** Takes up to `count` candidates in seeded order, at most `perFile` per answer file, so the set spreads over the tree. */
function take<T extends { file: string }>(
    candidates: readonly T[],
    count: number,
    random: () => number,
    perFile = 2
): T[] {
    const used = new Map<string, number>();
    const out: T[] = [];
    for (const c of shuffled(candidates, random)) {
        if (out.length >= count) break;
        const n = used.get(c.file) ?? 0;
        if (n >= perFile) continue;
        used.set(c.file, n + 1);
        out.push(c);
    }
    return out;
}

/** `perKind` questions of each kind from the files, the same for the same files and seed. */
export function makeQuestions(
    files: readonly TreeFile[],
    perKind: number,
    seed: number
): Question[] {
    const sorted = [...files].sort((a, b) => a.relativePath.localeCompare(b.relativePath));
    const declarations = findDeclarations(sorted);
    const askable = [...declarations.entries()]
        .filter(([name, list]) => name.length >= 4 && !GENERIC.has(name) && list.length <= 3)
        .sort(([a], [b]) => a.localeCompare(b));
    const random = seededRandom(seed ^ 0x0a5c);
    const questions: Question[] = [];
    const add = (kind: QuestionKind, name: string, text: string, answers: AnswerPlace[]) =>
        questions.push({
            id: questions.length,
            kind,
            split: splitOf(`${kind}:${name}`),
            name,
            text,
            answers
        });

    const definitions = take(
        askable.map(([name, list]) => ({ name, list, file: list[0]!.file })),
        perKind,
        random
    );
    for (const d of definitions)
        add("definition", d.name, `Where is \`${d.name}\` defined?`, placesOf(d.list));

    const linesOf = new Map(sorted.map((f) => [f.relativePath, f.lines]));
    const callable = new Set(
        askable
            .filter(([, list]) =>
                list.every((d) => CALLABLE_KINDS.test(linesOf.get(d.file)![d.line - 1]!))
            )
            .map(([name]) => name)
    );
    const calls = findCalls(sorted, callable);
    const callers = [...calls.entries()]
        .filter(([, list]) => list.length >= 1 && list.length <= 5)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, list]) => ({ name, list, file: list[0]!.file }));
    for (const c of take(callers, perKind, random))
        add("callers", c.name, `What calls \`${c.name}\`?`, placesOf(c.list));

    const chosen = new Set(definitions.map((d) => d.name));
    const worded = askable
        .filter(([name]) => !chosen.has(name) && identifierParts(name).length >= 2)
        .map(([name, list]) => ({ name, list, file: list[0]!.file }));
    for (const w of take(worded, perKind, random))
        add(
            "words",
            w.name,
            `Where is the code that does ${identifierParts(w.name).join(" ")}?`,
            placesOf(w.list)
        );
    return questions;
}
