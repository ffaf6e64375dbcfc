/**
 * Child process of the startup suite: loads a model with node-llama-cpp directly, the way the
 * engine does (CPU backend, one context with two sequences), prints one JSON line and exits.
 * Usage: node directLoadChild.js MODEL THREADS
 */
import { performance } from "node:perf_hooks";

async function main(): Promise<void> {
    const [modelPath, threadsText] = process.argv.slice(2);
    if (!modelPath) throw new Error("usage: directLoadChild MODEL THREADS");
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    const llama = await getLlama({
        gpu: false,
        build: "never",
        skipDownload: true,
        progressLogs: false,
        logLevel: LlamaLogLevel.error
    });
    const backendMs = performance.now();
    const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
    const loadedMs = performance.now();
    const context = await model.createContext({
        contextSize: Math.min(4096, model.trainContextSize),
        sequences: 2,
        threads: Number(threadsText) || 1
    });
    const readyMs = performance.now();
    process.stdout.write(
        `${JSON.stringify({ backendMs, loadMs: loadedMs - backendMs, contextMs: readyMs - loadedMs, readyMs })}\n`
    );
    await context.dispose();
    await model.dispose();
    await llama.dispose();
}

main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
