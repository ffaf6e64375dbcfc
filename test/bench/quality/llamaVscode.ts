/**
 * The reference a user would otherwise get: llama.vscode's request to llama.cpp server's `/infill`
 * for a quality case, and what llama.vscode then shows of the answer. Written from llama.vscode's
 * behaviour (src/completion.ts, src/llama-server.ts of ggml-org/llama.vscode), not copied. Pure.
 */
import { PREFIX_LINES, SUFFIX_LINES } from "../replay";
import type { QualityCase } from "./cases";

/** llama.vscode's default `n_predict`. */
export const LLAMA_VSCODE_N_PREDICT = 128;

/**
 * The `/infill` body for a case: up to 256 lines before, the typed part of the line as `prompt`
 * (empty when it is only indentation), the rest of the line (empty here) and up to 64 lines after,
 * llama.vscode's sampling (top-k 40, top-p 0.99, the infill sampler) and `n_indent`. `seed` is
 * added so that a run is repeatable (llama.vscode leaves the server's random seed).
 */
export function qualityInfillBody(c: QualityCase, seed: number): Record<string, unknown> {
    const lines = c.file.lines;
    const before = lines.slice(Math.max(0, c.line - PREFIX_LINES), c.line);
    const after = lines.slice(c.line + 1, c.line + 1 + SUFFIX_LINES);
    const indentOnly = /^[ \t]*$/.test(c.typed);
    const indent = c.typed.length - c.typed.trimStart().length;
    return {
        input_prefix: `${before.join("\n")}\n`,
        input_suffix: `\n${after.join("\n")}\n`,
        input_extra: [],
        prompt: indentOnly ? "" : c.typed,
        n_predict: LLAMA_VSCODE_N_PREDICT,
        top_k: 40,
        top_p: 0.99,
        samplers: ["top_k", "top_p", "infill"],
        stream: false,
        cache_prompt: true,
        t_max_prompt_ms: 500,
        t_max_predict_ms: 1000,
        ...(indent > 0 ? { n_indent: indent } : {}),
        seed
    };
}

/**
 * What llama.vscode shows of `/infill`'s `content` for a case: nothing for a blank answer or one that
 * only repeats the next non-empty line of the document; trailing empty lines dropped; when the typed
 * part was only indentation, up to that many leading spaces removed (the answer starts at the line start).
 */
export function llamaVscodeShows(content: string, c: QualityCase): string {
    if (content.trim() === "") return "";
    const lines = content.split(/\r?\n/);
    while (lines.length > 1 && lines[lines.length - 1]!.trim() === "") lines.pop();
    if (lines.length === 1 && lines[0]!.trim() === "") return "";
    const docLines = c.file.lines;
    let next = c.line + 1;
    while (next < docLines.length && docLines[next]!.trim() === "") next++;
    if (next < docLines.length && c.typed + lines[0] === docLines[next]) {
        if (lines.length === 1) return "";
        if (lines.slice(1).every((l, i) => l === docLines[next + 1 + i])) return "";
    }
    let text = lines.join("\n");
    if (/^[ \t]*$/.test(c.typed)) {
        let i = 0;
        while (i < text.length && i < c.typed.length && (text[i] === " " || text[i] === "\t")) i++;
        text = text.slice(i);
    }
    return text;
}
