// Inline completion latency on a realistic model shape (not part of `npm test`).
//   npm run build && node test/bench/completionLatency.mjs [--threads 2] [--runs 8] [--model file.gguf] [--budgets 640,1024] [--engine other/dist/engine.js] [--accept-delay 400] [--rest 1500]
// Spawns the real engine, opens real source files of this repository, and for each prompt budget
// measures, side by side: a completion at a fresh position, right after accepting it (the user
// reads it for --accept-delay ms, presses Tab, the editor asks again), after one more typed character,
// typing along the suggestion, the first keystroke after the cursor rested --rest ms at another
// place (the editor sends apprentice/completion/prefetch), and moving the cursor a few lines down.
// Prints p50/p95 latency (as the client sees it) and prompt tokens evaluated/reused.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import {
    createProtocolConnection,
    StreamMessageReader,
    StreamMessageWriter
} from "vscode-languageserver-protocol/node";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
};
const threads = Number(arg("threads", "2"));
const runs = Number(arg("runs", "8"));
const budgets = arg("budgets", "640,1024").split(",").map(Number);
const acceptDelayMs = Number(arg("accept-delay", "400"));
const restMs = Number(arg("rest", "1500"));
const modelsDir = process.env.APPRENTICE_MODELS_DIR ?? path.resolve(root, "..", "shared", "models");
const modelPath = path.resolve(modelsDir, arg("model", "shape-135m-q8_0.gguf"));

function sourceFiles() {
    const out = [];
    const walk = (dir) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, e.name);
            if (e.isDirectory()) walk(full);
            else if (e.name.endsWith(".ts")) out.push(full);
        }
    };
    walk(path.join(root, "src"));
    return out
        .map((f) => ({ file: f, text: readFileSync(f, "utf8") }))
        .filter((f) => f.text.split("\n").length > 80);
}

const pct = (values, p) => {
    if (values.length === 0) return NaN;
    const s = [...values].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
};

async function main() {
    const child = spawn(
        process.execPath,
        [path.resolve(arg("engine", path.join(root, "dist", "engine.js"))), "--stdio"],
        { stdio: ["pipe", "pipe", "inherit"] }
    );
    const connection = createProtocolConnection(
        new StreamMessageReader(child.stdout),
        new StreamMessageWriter(child.stdin)
    );
    let readyResolve;
    const ready = new Promise((resolve) => {
        readyResolve = resolve;
    });
    connection.onNotification("apprentice/status", (s) => {
        if (s.state === "ready" || s.state === "error") readyResolve(s);
    });
    connection.listen();
    await connection.sendRequest("initialize", {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        initializationOptions: { settings: { modelPath, threads, gpu: "off", contextSize: 2048 } }
    });
    await connection.sendNotification("initialized", {});
    const status = await ready;
    if (status.state !== "ready") throw new Error(JSON.stringify(status));

    const files = sourceFiles();
    let version = 0;
    const open = (uri, text) =>
        connection.sendNotification("textDocument/didOpen", {
            textDocument: { uri, languageId: "typescript", version: ++version, text }
        });
    const change = (uri, text) =>
        connection.sendNotification("textDocument/didChange", {
            textDocument: { uri, version: ++version },
            contentChanges: [{ text }]
        });
    const complete = async (uri, position, budget) => {
        const started = performance.now();
        const r = await connection.sendRequest("textDocument/inlineCompletion", {
            textDocument: { uri },
            position,
            context: { triggerKind: 2 },
            apprentice: { minConfidence: 0, maxTokens: 16, promptTokens: budget }
        });
        return {
            ms: performance.now() - started,
            t: r.apprentice?.timings,
            item: r.items[0]?.insertText
        };
    };

    console.log(
        `model ${path.basename(modelPath)}, ${threads} threads, CPU, ${os.cpus().length} cores, load average ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")} (machine shared with other work)`
    );
    const rows = [];
    for (const budget of budgets) {
        const r = { fresh: [], accept: [], oneChar: [], along: [], rested: [], move: [] };
        for (let i = 0; i < runs; i++) {
            const { text } = files[(i + budgets.indexOf(budget) * runs) % files.length];
            const lines = text.split("\n");
            // Cursor at the end of a non-empty line two thirds down, as if the user had just typed it.
            let line = Math.floor((lines.length * 2) / 3);
            while (line < lines.length - 1 && lines[line].trim().length < 8) line++;
            const uri = `file:///bench/${budget}/${i}.ts`;
            const cut = lines[line].length - 3;
            const before = [...lines.slice(0, line), lines[line].slice(0, cut)].join("\n");
            const after = lines[line].slice(cut) + "\n" + lines.slice(line + 1).join("\n");
            await open(uri, before + after);
            const fresh = await complete(uri, { line, character: cut }, budget);
            r.fresh.push(fresh);
            // Accept the suggestion after reading it for a moment: the next request is at its end.
            if (fresh.item) {
                await new Promise((resolve) => setTimeout(resolve, acceptDelayMs));
                const accepted = before + fresh.item;
                await change(uri, accepted + after);
                const acceptedLines = accepted.split("\n");
                r.accept.push(
                    await complete(
                        uri,
                        {
                            line: acceptedLines.length - 1,
                            character: acceptedLines[acceptedLines.length - 1].length
                        },
                        budget
                    )
                );
                await change(uri, before + after);
            }
            // One more character that differs from the suggestion (a cache miss).
            const typed = fresh.item && fresh.item[0] === "z" ? "y" : "z";
            await change(uri, before + typed + after);
            r.oneChar.push(await complete(uri, { line, character: cut + 1 }, budget));
            // Typing along: the first character of the current suggestion.
            const again = await complete(uri, { line, character: cut + 1 }, budget);
            if (again.item && again.item.length >= 2) {
                await change(uri, before + typed + again.item[0] + after);
                r.along.push(await complete(uri, { line, character: cut + 2 }, budget));
            }
            // Move the cursor three lines down, to the end of that line.
            const target = Math.min(lines.length - 1, line + 3);
            await change(uri, lines.join("\n"));
            r.move.push(
                await complete(uri, { line: target, character: lines[target].length }, budget)
            );
            // Click somewhere else in the file, rest there for --rest ms, then type one character.
            const restLine = Math.max(1, Math.floor(lines.length / 3));
            await change(uri, lines.join("\n"));
            connection.sendNotification("apprentice/completion/prefetch", {
                textDocument: { uri },
                position: { line: restLine, character: lines[restLine].length }
            });
            await new Promise((resolve) => setTimeout(resolve, restMs));
            const rested = [...lines];
            rested[restLine] += " ";
            await change(uri, rested.join("\n"));
            r.rested.push(
                await complete(uri, { line: restLine, character: rested[restLine].length }, budget)
            );
        }
        for (const [name, samples] of Object.entries(r)) {
            const ms = samples.map((s) => s.ms);
            const evaluated = samples.map((s) => s.t?.evaluatedTokens ?? 0);
            const reused = samples.map((s) => s.t?.reusedTokens ?? 0);
            rows.push({
                budget,
                scenario: name,
                n: samples.length,
                p50ms: Math.round(pct(ms, 0.5)),
                p95ms: Math.round(pct(ms, 0.95)),
                evaluatedP50: pct(evaluated, 0.5),
                evaluatedMean: Math.round(
                    evaluated.reduce((a, b) => a + b, 0) / Math.max(1, evaluated.length)
                ),
                reusedP50: pct(reused, 0.5),
                source: [...new Set(samples.map((s) => s.t?.source))].join("/")
            });
        }
    }
    console.table(rows);
    await connection.sendRequest("shutdown");
    await connection.sendNotification("exit");
    setTimeout(() => child.kill(), 3000).unref();
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
