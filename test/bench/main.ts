/**
 * `npm run bench`: runs the suites in one process, one after another, and writes
 * bench-results/{bench.json,report.md,latency.svg}. Not part of `npm test`.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { modelsDir, REPO_ROOT } from "../support/models";
import { EngineAdapter } from "./engineAdapter";
import { loadAvg, loadWarning, machineFacts } from "./machine";
import { BenchOptionError, parseBenchArgs, USAGE } from "./options";
import { findSourceFiles, pickPositions, type ReplayPosition } from "./replay";
import { renderReport } from "./report";
import type { BenchResults, SuiteResult } from "./results";
import type { BenchContext, Suite } from "./suite";
import { barChartSvg, latencySvg } from "./svg";
import { workspaceSuite } from "./workspace/suite";
import { chatSuite } from "./suites/chat";
import { editorSuite } from "./suites/editor";
import { overheadSuite } from "./suites/overhead";
import { qualitySuite } from "./suites/quality";
import { replaySuite } from "./suites/replay";
import { resourcesSuite } from "./suites/resources";
import { sharingSuite } from "./suites/sharing";
import { startupSuite } from "./suites/startup";
import { threadsSuite } from "./suites/threads";
import { tokenCostSuite } from "./suites/tokenCost";

const SUITES: readonly Suite[] = [
    startupSuite,
    threadsSuite,
    replaySuite,
    qualitySuite,
    overheadSuite,
    tokenCostSuite,
    chatSuite,
    sharingSuite,
    resourcesSuite,
    workspaceSuite,
    editorSuite
];

async function main(): Promise<number> {
    if (process.argv.includes("--help")) {
        console.log(USAGE);
        return 0;
    }
    const machine = machineFacts();
    const options = parseBenchArgs(process.argv.slice(2), {
        repoRoot: REPO_ROOT,
        modelsDir: modelsDir(),
        cores: machine.cores
    });
    for (const model of [options.model, ...options.replayModels]) {
        if (!existsSync(model))
            throw new BenchOptionError(
                `Model file not found: ${model}. Pass --model FILE (or --replay-models) or set APPRENTICE_MODELS_DIR.`
            );
    }
    if (options.llamaServerBin && !existsSync(options.llamaServerBin))
        throw new BenchOptionError(`llama-server binary not found: ${options.llamaServerBin}.`);
    const results: BenchResults = {
        startedAt: new Date().toISOString(),
        machine,
        options: {
            mode: options.mode,
            model: options.model,
            threads: options.threads,
            threadCounts: options.threadCounts,
            seed: options.seed,
            positions: options.positions,
            chars: options.chars,
            maxTokens: options.maxTokens,
            restMs: options.restMs,
            llamaServer: options.llamaServer,
            llamaServerBin: options.llamaServerBin,
            replayModels: options.replayModels,
            engine: options.engine,
            qualityCases: options.qualityCases,
            minConfidence: options.minConfidence
        },
        warnings: [],
        suites: []
    };
    console.log(
        `bench: ${machine.platform}-${machine.arch}, ${machine.cores} cores, node-llama-cpp ${machine.nodeLlamaCpp}, load average ${machine.loadAvgStart.join(" ")}`
    );
    console.log(
        `bench: model ${options.model}, threads ${options.threads}, mode ${options.mode}, seed ${options.seed}`
    );
    const startWarning = loadWarning(machine.loadAvgStart, machine.cores, "at the start");
    if (startWarning) {
        results.warnings.push(startWarning);
        console.log(`bench: WARNING ${startWarning}`);
    }

    let positions: ReplayPosition[] | undefined;
    const getPositions = () => {
        positions ??= pickPositions(
            findSourceFiles(path.join(REPO_ROOT, "node_modules"), 3, options.seed, REPO_ROOT),
            options.positions,
            options.chars,
            options.seed
        );
        return positions;
    };
    let shared: Promise<EngineAdapter> | undefined;
    const earlier = new Map<string, SuiteResult>();
    const context: BenchContext = {
        options,
        engine: () =>
            (shared ??= EngineAdapter.start(options.engine, options.model, options.threads)),
        positions: getPositions,
        log: (m) => console.log(m),
        earlier
    };
    try {
        for (const suite of SUITES.filter((s) => options.suites.includes(s.id as never))) {
            const started = performance.now();
            console.log(`\n== ${suite.title} (load average ${loadAvg().join(" ")})`);
            let result: SuiteResult;
            try {
                const outcome = await suite.run(context);
                result = {
                    id: suite.id,
                    title: suite.title,
                    seconds: (performance.now() - started) / 1000,
                    ...outcome
                };
            } catch (error) {
                result = {
                    id: suite.id,
                    title: suite.title,
                    seconds: (performance.now() - started) / 1000,
                    status: "failed",
                    reason:
                        error instanceof Error ? `${error.name}: ${error.message}` : String(error),
                    figures: {},
                    tables: []
                };
            }
            results.suites.push(result);
            earlier.set(suite.id, result);
            console.log(
                `   ${result.status}${result.reason ? `: ${result.reason}` : ""} (${result.seconds.toFixed(1)} s)`
            );
            for (const [name, value] of Object.entries(result.figures))
                console.log(
                    `   ${name} = ${Number.isFinite(value) ? Number(value.toFixed(2)) : "n/a"}`
                );
            writeResults(results, options.out);
        }
    } finally {
        if (shared) await (await shared.catch(() => undefined))?.shutdown();
    }

    results.finishedAt = new Date().toISOString();
    results.machine.loadAvgEnd = loadAvg();
    const endWarning = loadWarning(results.machine.loadAvgEnd, machine.cores, "at the end");
    if (endWarning) results.warnings.push(endWarning);
    writeResults(results, options.out);
    console.log(`\nbench: load average at the end ${results.machine.loadAvgEnd.join(" ")}`);
    console.log(
        `bench: wrote ${path.relative(process.cwd(), path.join(options.out, "report.md"))}, bench.json, latency.svg`
    );
    return results.suites.some((s) => s.status === "failed") ? 1 : 0;
}

/** Written after every suite too, so an interrupted run keeps what it measured. */
function writeResults(results: BenchResults, out: string): void {
    mkdirSync(out, { recursive: true });
    const series = results.suites.flatMap((s) => s.latency ?? []);
    writeFileSync(
        path.join(out, "latency.svg"),
        latencySvg(series, "Inline completion latency per keystroke")
    );
    for (const chart of results.suites.flatMap((s) => s.charts ?? []))
        writeFileSync(path.join(out, chart.file), barChartSvg(chart));
    writeFileSync(path.join(out, "bench.json"), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(out, "report.md"), renderReport(results, "latency.svg"));
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (error) => {
        console.error(error instanceof BenchOptionError ? error.message : error);
        process.exitCode = 2;
    }
);
