/** Command-line options of `npm run bench`. Pure: parses argv into complete options or throws a named error. */
import * as path from "node:path";

export const SUITE_IDS = [
    "startup",
    "threads",
    "replay",
    "quality",
    "overhead",
    "chat",
    "sharing",
    "resources",
    "tokens",
    "workspace",
    "editor"
] as const;
/** Suites a quick run leaves out unless named with --suites: the editor suite packages the extension and starts VS Code. */
const FULL_ONLY: readonly string[] = ["editor"];
export type SuiteId = (typeof SUITE_IDS)[number];

export interface BenchOptions {
    mode: "quick" | "full";
    model: string;
    /** Threads of the engine and of the direct node-llama-cpp runs that are compared with it. */
    threads: number;
    /** Thread counts of the node-llama-cpp threads suite. */
    threadCounts: number[];
    seed: number;
    /** Typing replay: positions and characters typed at each. */
    positions: number;
    chars: number;
    maxTokens: number;
    /** Rounds of the alternating comparisons. */
    rounds: number;
    /** Typing replay: milliseconds the cursor rests at each position before the first keystroke (0: none). */
    restMs: number;
    /** Completions before the second memory reading. */
    memoryCompletions: number;
    llamaServer?: string;
    /** A llama.cpp `llama-server` binary the replay starts for each of its models (instead of `llamaServer`). */
    llamaServerBin?: string;
    /** Typing replay: the models replayed one after the other in the same run (default: `model`). */
    replayModels: string[];
    engine: string;
    out: string;
    suites: SuiteId[];
    /** Build and measure the .vsix. */
    packageVsix: boolean;
    /** Quality suite: cases over the development set (split over JavaScript, TypeScript, Python). */
    qualityCases: number;
    /** Quality suite: the confidence filter's threshold (default: the engine's default setting). */
    minConfidence?: number;
    /** Workspace suite: an embedding GGUF; lexical, embedding and fused retrieval are then compared on a smaller tree. */
    embeddingModel?: string;
}

export class BenchOptionError extends Error {
    override readonly name = "BenchOptionError";
}

export const USAGE = `npm run bench -- [options]
  --quick | --full        quick (default, about 2-4 minutes) or full (the issue's sizes)
  --model FILE            GGUF model (default ../shared/models/shape-135m-q8_0.gguf)
  --threads N             engine threads and direct-run threads (default: max(1, cores - 1))
  --thread-counts 1,2,4   thread counts compared by the threads suite (quick: 1,2)
  --seed N                seed of the typing replay positions (default 7)
  --positions N --chars N typing replay size (full: 20 × 24, quick: 6 × 8)
  --max-tokens N          generated tokens per completion (default 16)
  --rest MS               typing replay: rest MS at each position before typing, as a person does
                          after a click (Apprentice then prefetches; default 0)
  --rounds N              rounds of each alternating comparison
  --llama-server URL      also replay against a running llama.cpp server's /infill (and ask it the quality cases)
  --llama-server-bin FILE typing replay: start this llama-server on 127.0.0.1 for each replay model
                          (same threads, -b 1024 -ub 512 -np 1 --cache-reuse 256) and replay against it
  --replay-models A,B     typing replay: these models one after the other in the same run (default: --model)
  --cases N               quality suite: cases (default 300; --quick 99; --full 600)
  --min-confidence X      quality suite: confidence threshold applied to Apprentice's suggestions
                          (default: apprentice.completion.minConfidence's default)
  --embedding-model FILE  workspace suite: also compare lexical, embedding and fused retrieval with this
                          GGUF on a smaller tree (every chunk is embedded: minutes per thousand chunks)
  --engine FILE           engine entry to measure (default dist/engine.js, built first)
  --suites a,b            run only these: ${SUITE_IDS.join(", ")}
                          (a quick run leaves out editor: VS Code in Chromium, needs scripts/vscode-test's tools)
  --package / --no-package build the .vsix and report its size (default: full only)
  --out DIR               output folder (default bench-results)`;

function int(name: string, value: string | undefined, min: number): number {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min)
        throw new BenchOptionError(`${name} needs an integer ≥ ${min}, got ${value ?? "nothing"}.`);
    return n;
}

export function parseBenchArgs(
    argv: readonly string[],
    env: { repoRoot: string; modelsDir: string; cores: number }
): BenchOptions {
    const full = argv.includes("--full");
    const value = (name: string): string | undefined => {
        const i = argv.indexOf(name);
        if (i < 0) return undefined;
        const v = argv[i + 1];
        if (v === undefined || v.startsWith("--"))
            throw new BenchOptionError(`${name} needs a value.`);
        return v;
    };
    const known = new Set([
        "--quick",
        "--full",
        "--model",
        "--threads",
        "--thread-counts",
        "--seed",
        "--positions",
        "--chars",
        "--max-tokens",
        "--rounds",
        "--llama-server",
        "--engine",
        "--suites",
        "--package",
        "--no-package",
        "--out",
        "--memory-completions",
        "--rest",
        "--cases",
        "--min-confidence",
        "--llama-server-bin",
        "--replay-models",
        "--embedding-model"
    ]);
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (!arg.startsWith("--")) continue;
        if (!known.has(arg)) throw new BenchOptionError(`Unknown option ${arg}.\n${USAGE}`);
    }
    const maybeInt = (name: string, fallback: number, min = 1) =>
        argv.includes(name) ? int(name, value(name), min) : fallback;
    const suites =
        value("--suites")
            ?.split(",")
            .map((s) => s.trim())
            .filter(Boolean) ?? SUITE_IDS.filter((s) => full || !FULL_ONLY.includes(s));
    for (const s of suites)
        if (!(SUITE_IDS as readonly string[]).includes(s))
            throw new BenchOptionError(`Unknown suite ${s}; known: ${SUITE_IDS.join(", ")}.`);
    const threadCounts = (value("--thread-counts") ?? (full ? "1,2,4" : "1,2"))
        .split(",")
        .map((t) => int("--thread-counts", t.trim(), 1));
    const server = value("--llama-server");
    if (server !== undefined && !/^https?:\/\/[^/]+/.test(server))
        throw new BenchOptionError(`--llama-server needs an http(s) URL, got ${server}.`);
    const minConfidenceText = value("--min-confidence");
    const minConfidence = minConfidenceText === undefined ? undefined : Number(minConfidenceText);
    if (minConfidence !== undefined && !(minConfidence >= 0 && minConfidence <= 1))
        throw new BenchOptionError(
            `--min-confidence needs a number from 0 to 1, got ${minConfidenceText}.`
        );
    const model = path.resolve(
        value("--model") ?? path.join(env.modelsDir, "shape-135m-q8_0.gguf")
    );
    const replayModels = value("--replay-models")
        ?.split(",")
        .map((m) => m.trim())
        .filter(Boolean)
        .map((m) => path.resolve(m)) ?? [model];
    const serverBin = value("--llama-server-bin");
    const embeddingModel = value("--embedding-model");
    return {
        mode: full ? "full" : "quick",
        model,
        replayModels,
        llamaServerBin: serverBin === undefined ? undefined : path.resolve(serverBin),
        threads: maybeInt("--threads", Math.max(1, env.cores - 1)),
        threadCounts,
        seed: maybeInt("--seed", 7, 0),
        positions: maybeInt("--positions", full ? 20 : 6),
        chars: maybeInt("--chars", full ? 24 : 8),
        maxTokens: maybeInt("--max-tokens", 16),
        rounds: maybeInt("--rounds", full ? 5 : 3),
        restMs: maybeInt("--rest", 0, 0),
        memoryCompletions: maybeInt("--memory-completions", full ? 1000 : 100),
        llamaServer: server?.replace(/\/+$/, ""),
        engine: path.resolve(value("--engine") ?? path.join(env.repoRoot, "dist", "engine.js")),
        out: path.resolve(env.repoRoot, value("--out") ?? "bench-results"),
        suites: suites as SuiteId[],
        packageVsix: argv.includes("--package") || (full && !argv.includes("--no-package")),
        qualityCases: maybeInt("--cases", full ? 600 : argv.includes("--quick") ? 99 : 300),
        minConfidence,
        embeddingModel: embeddingModel === undefined ? undefined : path.resolve(embeddingModel)
    };
}
