/**
 * The typing replay workload, identical for every engine it is sent to: real source files nobody
 * here wrote, seeded positions at the start of non-empty lines, and the keystrokes that retype
 * the first characters of each line. The prompt window is llama.vscode's: up to 256 lines before
 * the cursor line and the rest of the line plus up to 64 lines after it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { seededRandom } from "./stats";

export const PREFIX_LINES = 256;
export const SUFFIX_LINES = 64;

export interface SourceFile {
    /** Path relative to the repository, for the report. */
    name: string;
    lines: string[];
}

/** One replay position: the line is emptied, then `typed` is entered one character at a time. */
export interface ReplayPosition {
    file: SourceFile;
    line: number;
    typed: string;
}

/** Whether a file's text looks like hand-written source of the wanted size (not minified). */
export function isReplaySource(text: string, minLines = 500, maxLines = 2000): boolean {
    const lines = text.split("\n");
    if (lines.length < minLines || lines.length > maxLines) return false;
    const longest = lines.reduce((m, l) => Math.max(m, l.length), 0);
    const meanLength = text.length / lines.length;
    return (
        longest <= 400 && meanLength <= 80 && lines.filter((l) => l.trim()).length >= minLines * 0.6
    );
}

/**
 * Up to `count` source files (.js/.ts/.py, not .d.ts, not minified, 500-2000 lines) found under
 * `root` (normally node_modules), walked in sorted order so a run is reproducible, then chosen with
 * the seed from different packages.
 */
export function findSourceFiles(
    root: string,
    count: number,
    seed: number,
    relativeTo = path.dirname(root)
): SourceFile[] {
    const candidates: string[] = [];
    const walk = (dir: string, depth: number) => {
        if (depth > 6 || candidates.length >= 400) return;
        let entries;
        try {
            entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
                a.name.localeCompare(b.name)
            );
        } catch {
            return;
        }
        for (const entry of entries) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                if (
                    !/^(\.|test|tests|__tests__|dist-esm|esm|umd|browser)$/.test(entry.name) &&
                    !entry.name.startsWith("@node-llama-cpp")
                )
                    walk(full, depth + 1);
            } else if (
                /\.(js|cjs|mjs|ts|py)$/.test(entry.name) &&
                !/\.(d\.ts|d\.mts|min\.js)$/.test(entry.name)
            ) {
                const size = statSync(full).size;
                if (size > 12_000 && size < 90_000) candidates.push(full);
            }
        }
    };
    walk(root, 0);
    const random = seededRandom(seed);
    const chosen: SourceFile[] = [];
    const usedPackages = new Set<string>();
    const pool = [...candidates];
    while (chosen.length < count && pool.length > 0) {
        const [file] = pool.splice(Math.floor(random() * pool.length), 1);
        const pkg = path.relative(root, file!).split(path.sep).slice(0, 2).join("/");
        if (usedPackages.has(pkg)) continue;
        const text = readFileSync(file!, "utf8");
        if (!isReplaySource(text)) continue;
        usedPackages.add(pkg);
        chosen.push({ name: path.relative(relativeTo, file!), lines: text.split("\n") });
    }
    return chosen;
}

/** `count` seeded positions at the start of non-empty lines, spread over the files in turn. */
export function pickPositions(
    files: readonly SourceFile[],
    count: number,
    chars: number,
    seed: number
): ReplayPosition[] {
    if (files.length === 0) return [];
    const random = seededRandom(seed ^ 0x5eed);
    const positions: ReplayPosition[] = [];
    for (let i = 0; i < count; i++) {
        const file = files[i % files.length]!;
        const eligible = file.lines
            .map((l, n) => (l.trim().length >= 2 ? n : -1))
            .filter((n) => n >= 0);
        let line = eligible[Math.floor(random() * eligible.length)]!;
        for (
            let tries = 0;
            tries < 20 && positions.some((p) => p.file === file && p.line === line);
            tries++
        ) {
            line = eligible[Math.floor(random() * eligible.length)]!;
        }
        positions.push({ file, line, typed: file.lines[line]!.slice(0, chars) });
    }
    return positions;
}

/** The document text at a position before typing starts: the chosen line emptied. */
export function documentBeforeTyping(position: ReplayPosition): string {
    const lines = [...position.file.lines];
    lines[position.line] = "";
    return lines.join("\n");
}

/** llama.vscode's window after `typedSoFar` characters: prefix lines, the line up to the cursor, the suffix. */
export function windowAt(
    position: ReplayPosition,
    typedSoFar: number
): { prefix: string; prompt: string; suffix: string } {
    const lines = position.file.lines;
    const start = Math.max(0, position.line - PREFIX_LINES);
    const prefix = lines
        .slice(start, position.line)
        .map((l) => `${l}\n`)
        .join("");
    const after = lines.slice(position.line + 1, position.line + 1 + SUFFIX_LINES);
    return { prefix, prompt: position.typed.slice(0, typedSoFar), suffix: `\n${after.join("\n")}` };
}

/** The body llama.vscode sends to llama.cpp's `/infill` for one keystroke. */
export function infillBody(
    position: ReplayPosition,
    typedSoFar: number,
    maxTokens: number
): Record<string, unknown> {
    const w = windowAt(position, typedSoFar);
    return {
        id_slot: 0,
        input_prefix: w.prefix,
        prompt: w.prompt,
        input_suffix: w.suffix,
        input_extra: [],
        n_predict: maxTokens,
        top_k: 40,
        top_p: 0.99,
        samplers: ["top_k", "top_p", "infill"],
        cache_prompt: true,
        stream: false
    };
}

/** One measured keystroke, from any engine. */
export interface KeystrokeSample {
    position: number;
    /** 1-based: the first keystroke at a position is cold (the cursor jumped there). */
    keystroke: number;
    wallMs: number;
    /** Prompt tokens evaluated, reused from the cache, generated (NaN when the engine does not say). */
    evaluated: number;
    reused: number;
    generated: number;
    /** Draft-and-verify tokens verified and accepted (Apprentice only). */
    drafted?: number;
    accepted?: number;
}

/** Figures from llama.cpp server's `/infill` JSON answer. */
export function parseInfillTimings(body: unknown): {
    evaluated: number;
    reused: number;
    generated: number;
} {
    const b = (typeof body === "object" && body !== null ? body : {}) as {
        timings?: { prompt_n?: number; predicted_n?: number };
        tokens_cached?: number;
        tokens_evaluated?: number;
        tokens_predicted?: number;
    };
    const evaluated = b.timings?.prompt_n ?? NaN;
    const generated = b.timings?.predicted_n ?? b.tokens_predicted ?? NaN;
    // tokens_cached counts the whole context after the request (prompt + generated); reused = prompt - evaluated.
    const prompt = b.tokens_evaluated ?? NaN;
    return { evaluated, reused: prompt - evaluated, generated };
}
