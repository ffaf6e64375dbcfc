/** Cold start: engine spawn → ready status, against a node process that loads the same model directly; alternating rounds. */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { EngineAdapter } from "../engineAdapter";
import { engineVsDirect, engineVsDirectRow } from "../stats";
import type { Suite } from "../suite";

interface DirectLoad {
    wallMs: number;
    loadMs: number;
    contextMs: number;
}

/** Spawns a node process that loads the model directly; wall time runs until it reports ready. */
async function directLoad(modelPath: string, threads: number): Promise<DirectLoad> {
    const started = performance.now();
    const child = spawn(
        process.execPath,
        [path.join(__dirname, "directLoadChild.js"), modelPath, String(threads)],
        { stdio: ["ignore", "pipe", "pipe"] }
    );
    let out = "";
    let err = "";
    let wallMs = NaN;
    child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        if (Number.isNaN(wallMs) && out.includes("\n")) wallMs = performance.now() - started;
    });
    child.stderr.on("data", (c: Buffer) => {
        err += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (code !== 0 || !line)
        throw new Error(`The direct load process failed (exit ${code}): ${err.slice(-500)}`);
    const parsed = JSON.parse(line) as { loadMs: number; contextMs: number };
    return { wallMs, loadMs: parsed.loadMs, contextMs: parsed.contextMs };
}

export const startupSuite: Suite = {
    id: "startup",
    title: "Cold start and model load",
    async run({ options, log }) {
        const engine: number[] = [];
        const engineLoad: number[] = [];
        const direct: number[] = [];
        const directLoadMs: number[] = [];
        for (let round = 0; round < options.rounds; round++) {
            const adapter = await EngineAdapter.start(
                options.engine,
                options.model,
                options.threads
            );
            engine.push(adapter.spawnToReadyMs);
            if (adapter.ready.state === "ready") engineLoad.push(adapter.ready.model.loadMs);
            await adapter.shutdown();
            const d = await directLoad(options.model, options.threads);
            direct.push(d.wallMs);
            directLoadMs.push(d.loadMs + d.contextMs);
            log(
                `  round ${round + 1}: engine ${engine.at(-1)!.toFixed(0)} ms, direct ${d.wallMs.toFixed(0)} ms`
            );
        }
        const figures = {
            ...engineVsDirect("ColdStartMs", engine, direct),
            ...engineVsDirect("ModelLoadMs", engineLoad, directLoadMs)
        };
        return {
            status: "ok",
            figures,
            samples: { engine, direct, engineLoad, directLoadMs },
            tables: [
                {
                    title: `Process start to model ready (median of ${options.rounds}, alternating)`,
                    columns: [
                        "measure",
                        "engine over JSON-RPC",
                        "node-llama-cpp directly",
                        "engine / direct"
                    ],
                    rows: [
                        engineVsDirectRow("spawn → ready (ms)", figures, "ColdStartMs"),
                        engineVsDirectRow("model load + context (ms)", figures, "ModelLoadMs")
                    ],
                    note: "The engine also answers initialize, checks the GGUF header and plans memory before loading; the direct process only loads."
                }
            ]
        };
    }
};
