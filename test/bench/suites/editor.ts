/**
 * Latency as a person feels it: in the real VS Code (code-server in headless Chromium, the packaged
 * extension installed, test/e2e/session.mjs), from each keystroke of a typing script to ghost text
 * on screen (the extension's adaptive delay, JSON-RPC and drawing included; test/e2e/ghostText.mjs),
 * then the same keystrokes through the engine alone over JSON-RPC, as the engine's own figure.
 * The typing script: the replay positions, each line emptied down to its indentation, then its first
 * characters typed one by one (indentation is not typed: Tab would accept the suggestion).
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { COMPLETION_DEFAULTS } from "../../../src/shared/completionProtocol";
import { REPO_ROOT } from "../../support/models";
import type { EngineAdapter } from "../engineAdapter";
import { loadAvg } from "../machine";
import type { ReplayPosition } from "../replay";
import type { Table } from "../results";
import { fmt, fmtRatio, ratio, summarize } from "../stats";
import { skipped, type Suite } from "../suite";

/** One place of the typing script: `text` is the file with the line emptied down to `indent`. */
export interface EditorStop {
    name: string;
    text: string;
    line: number;
    indent: string;
    typed: string;
}

/** The typing script from replay positions (lines without anything to type after the indentation are left out). */
export function editorStops(positions: readonly ReplayPosition[], chars: number): EditorStop[] {
    return positions.flatMap((position, i) => {
        // Without a CRLF file's "\r": typed into VS Code it would be Enter.
        const full = position.file.lines[position.line]!.replace(/\r$/, "");
        const indent = /^[ \t]*/.exec(full)![0];
        const typed = full.slice(indent.length, indent.length + chars);
        if (typed.trim() === "") return [];
        const lines = [...position.file.lines];
        lines[position.line] = position.file.lines[position.line]!.endsWith("\r")
            ? `${indent}\r`
            : indent;
        return [
            {
                name: `typing-${i + 1}.js`,
                text: lines.join("\n"),
                line: position.line,
                indent,
                typed
            }
        ];
    });
}

/** The settings of the measured window: the model, and nothing that types for the user or covers ghost text. */
export function editorSettings(model: string, threads: number): Record<string, unknown> {
    return {
        "apprentice.modelPath": model,
        "apprentice.threads": threads,
        "apprentice.gpu": "off",
        // Every suggestion is drawn, however unsure the model: the time to draw is what is measured.
        "apprentice.completion.minConfidence": 0,
        "editor.autoClosingBrackets": "never",
        "editor.autoClosingQuotes": "never",
        "editor.autoSurround": "never",
        "editor.quickSuggestions": { other: false, comments: false, strings: false },
        "editor.suggestOnTriggerCharacters": false,
        "editor.parameterHints.enabled": false,
        "editor.hover.enabled": false,
        "editor.inlineSuggest.enabled": true
    };
}

interface Session {
    page: {
        keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
        locator(selector: string): { first(): { click(): Promise<void> } };
    };
    openFile(name: string): Promise<void>;
    close(): Promise<void>;
}

const KEYSTROKE_TIMEOUT_MS = 20_000;

async function typeInVsCode(
    stops: readonly EditorStop[],
    model: string,
    threads: number,
    log: (m: string) => void
): Promise<{ cold: number[]; warm: number[]; missing: number }> {
    const e2e = (file: string) => pathToFileURL(path.join(REPO_ROOT, "test", "e2e", file)).href;
    const { openSession } = (await import(e2e("session.mjs"))) as {
        openSession(o: object): Promise<Session>;
    };
    const ghost = (await import(e2e("ghostText.mjs"))) as {
        waitForModel(page: unknown, model: string, timeoutMs?: number): Promise<void>;
        installKeystrokeClock(page: unknown): Promise<void>;
        typeUntilGhostText(
            page: unknown,
            key: string,
            timeoutMs: number
        ): Promise<number | undefined>;
    };
    const files = Object.fromEntries(stops.map((s) => [s.name, s.text]));
    log("  packaging the extension and starting code-server with it");
    const session = await openSession({
        settings: editorSettings(model, threads),
        files,
        dataDir: path.join(REPO_ROOT, ".test-data", "bench-editor")
    });
    const result = { cold: [] as number[], warm: [] as number[], missing: 0 };
    try {
        const { page } = session;
        await ghost.waitForModel(page, path.basename(model), 180_000);
        await ghost.installKeystrokeClock(page);
        for (const stop of stops) {
            await session.openFile(stop.name);
            await page.locator(".monaco-editor .view-lines").first().click();
            await page.keyboard.press("Control+G");
            await page.keyboard.type(String(stop.line + 1));
            await page.keyboard.press("Enter");
            await page.keyboard.press("End");
            const row: string[] = [];
            for (const [k, ch] of [...stop.typed].entries()) {
                const ms = await ghost.typeUntilGhostText(page, ch, KEYSTROKE_TIMEOUT_MS);
                if (ms === undefined) result.missing++;
                else (k === 0 ? result.cold : result.warm).push(ms);
                row.push(ms === undefined ? "-" : ms.toFixed(0));
            }
            log(
                `  ${stop.name}:${stop.line + 1} ${JSON.stringify(stop.typed)}: ${row.join(" ")} ms (load average ${loadAvg().join(" ")})`
            );
        }
    } finally {
        await session.close();
    }
    return result;
}

/** The same keystrokes through the engine alone: the engine's own figure. */
async function typeInEngine(
    adapter: EngineAdapter,
    stops: readonly EditorStop[],
    maxTokens: number
): Promise<{ cold: number[]; warm: number[] }> {
    const cold: number[] = [];
    const warm: number[] = [];
    const uri = "file:///bench/editor.js";
    for (const [i, stop] of stops.entries()) {
        if (i === 0) await adapter.openDocument(uri, stop.text, "javascript");
        else await adapter.replaceDocument(uri, stop.text);
        for (const [k, ch] of [...stop.typed].entries()) {
            await adapter.type(uri, stop.line, stop.indent.length + k, ch);
            const r = await adapter.complete(uri, stop.line, stop.indent.length + k + 1, maxTokens);
            (k === 0 ? cold : warm).push(r.wallMs);
        }
    }
    await adapter.closeDocument(uri);
    return { cold, warm };
}

function row(label: string, editor: number[], engine: number[]): (string | number)[] {
    const a = summarize(editor);
    const b = summarize(engine);
    return [
        label,
        fmt(a.p50, 0),
        fmt(a.p95, 0),
        fmt(b.p50, 0),
        fmt(b.p95, 0),
        fmtRatio(ratio(a.p50, b.p50)),
        `${a.n} / ${b.n}`
    ];
}

export const editorSuite: Suite = {
    id: "editor",
    title: "Keystroke to ghost text in the real VS Code",
    async run({ options, engine, positions, log }) {
        const { tools } = (await import(
            pathToFileURL(path.join(REPO_ROOT, "scripts", "vscode-test", "tools.mjs")).href
        )) as { tools: { codeServerEntry: string; chromium: string } };
        if (!existsSync(tools.codeServerEntry) || !existsSync(tools.chromium)) {
            return skipped(
                `code-server or Chromium is not installed (${tools.codeServerEntry}, ${tools.chromium}): run node scripts/vscode-test/tools.mjs, or set APPRENTICE_TOOLS_DIR`
            );
        }
        const stops = editorStops(positions(), options.chars);
        if (stops.length === 0) return skipped("no replay positions with text to type");
        const loadBefore = loadAvg();
        const editor = await typeInVsCode(stops, options.model, options.threads, log);
        const loadBetween = loadAvg();
        log("  the same keystrokes through the engine alone");
        const own = await typeInEngine(await engine(), stops, COMPLETION_DEFAULTS.maxTokens);
        const loadAfter = loadAvg();
        const figures: Record<string, number> = {};
        for (const [name, values] of [
            ["editorCold", editor.cold],
            ["editorWarm", editor.warm],
            ["engineCold", own.cold],
            ["engineWarm", own.warm]
        ] as const) {
            const s = summarize(values);
            figures[`${name}P50`] = s.p50;
            figures[`${name}P95`] = s.p95;
        }
        figures.editorKeystrokesWithoutGhostText = editor.missing;
        const tables: Table[] = [
            {
                title: `Keystroke to ghost text on screen in VS Code, beside the engine's own answer time (${stops.length} places × up to ${options.chars} characters, ${path.basename(options.model)})`,
                columns: [
                    "keystroke",
                    "VS Code p50 (ms)",
                    "VS Code p95 (ms)",
                    "engine p50 (ms)",
                    "engine p95 (ms)",
                    "VS Code / engine p50",
                    "n (VS Code / engine)"
                ],
                rows: [
                    row("cold (first at a place)", editor.cold, own.cold),
                    row("warm (following)", editor.warm, own.warm)
                ],
                note: `VS Code: code-server + headless Chromium with the packaged extension, from the keydown to the first animation frame showing ghost text (frames: about 16 ms), the extension's adaptive delay included; ${editor.missing} keystrokes showed no ghost text within ${KEYSTROKE_TIMEOUT_MS / 1000} s and are left out. Engine: the same documents and keystrokes over JSON-RPC (didChange, then inlineCompletion with maxTokens ${COMPLETION_DEFAULTS.maxTokens}), measured after VS Code was closed. Load average ${loadBefore.join(" ")} → ${loadBetween.join(" ")} → ${loadAfter.join(" ")}.`
            }
        ];
        return {
            status: "ok",
            figures,
            tables,
            latency: [
                { label: "VS Code warm", values: editor.warm },
                { label: "engine warm", values: own.warm }
            ],
            samples: {
                editor,
                engine: own,
                loadAvg: { before: loadBefore, between: loadBetween, after: loadAfter }
            }
        };
    }
};
