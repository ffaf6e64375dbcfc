/**
 * Index build, size, memory, incremental update and reload, measured in an engine of its own with
 * no model loaded (so its resident memory is the engine's and the index's), over JSON-RPC as the
 * extension drives it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { decodeIndex, INDEX_FILE_NAME } from "../../../src/engine/workspaceIndex/indexStore";
import { EngineProcess } from "../../support/engineProcess";
import { loadAvg, rssMiB } from "../machine";
import { seededRandom } from "../stats";
import { IndexClient } from "./indexClient";
import type { TreeFile } from "./questions";
import { appendToFile, type MirroredTree } from "./tree";

const BUILD_TIMEOUT_MS = 60 * 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BuildFigures {
    filesListed: number;
    files: number;
    chunks: number;
    buildMs: number;
    rssBeforeMiB: number;
    rssAfterMiB: number;
    rssPeakMiB: number;
    indexFileBytes: number;
    loadAvg: number[];
}

export interface UpdateSample {
    file: string;
    /** From the watcher notification to the progress report after the update (includes the index's 300 ms debounce). */
    wallMs: number;
    /** Whether a search for the added function's name found the edited chunk first. */
    found: boolean;
    /** The first hit of that search. */
    topHit?: string;
}

export interface ReloadFigures {
    /** From configure to ready, starting from the saved index (unchanged files are not read again). */
    readyMs: number;
    files: number;
    chunks: number;
    firstBuild: boolean;
    rssAfterMiB: number;
}

/** A bare engine (no model) with its workspace index client. */
export class IndexEngine {
    private constructor(
        readonly process: EngineProcess,
        readonly client: IndexClient
    ) {}

    static async start(engineJs: string): Promise<IndexEngine> {
        const engine = EngineProcess.spawn({}, engineJs);
        try {
            await engine.initialize({});
            return new IndexEngine(engine, new IndexClient(engine.connection));
        } catch (error) {
            await engine.shutdown().catch(() => undefined);
            throw error;
        }
    }

    rssMiB(): number {
        return rssMiB(this.process.child.pid ?? -1);
    }

    async shutdown(): Promise<void> {
        await this.process.shutdown();
    }
}

/** Builds the index of `root` from nothing and waits until the index file is on disk. */
export async function buildIndex(
    engine: IndexEngine,
    root: string,
    storageFolder: string
): Promise<BuildFigures> {
    const rssBeforeMiB = engine.rssMiB();
    let rssPeakMiB = rssBeforeMiB;
    const sampler = setInterval(() => {
        rssPeakMiB = Math.max(rssPeakMiB, engine.rssMiB() || 0);
    }, 200);
    const started = performance.now();
    try {
        const since = await engine.client.configure(root, storageFolder);
        const done = await engine.client.waitFor(
            (p) => p.state === "ready" || p.state === "error",
            since,
            BUILD_TIMEOUT_MS
        );
        if (done.state === "error")
            throw new Error(`The index build failed: ${done.message ?? "no message"}`);
        const buildMs = done.at - started;
        const rssAfterMiB = engine.rssMiB();
        const file = path.join(storageFolder, INDEX_FILE_NAME);
        const deadline = performance.now() + 120_000;
        while (!existsSync(file) && performance.now() < deadline) await sleep(100);
        if (!existsSync(file))
            throw new Error(`The index file ${file} was not written within 120 s of the build.`);
        return {
            filesListed: done.filesTotal,
            files: done.files,
            chunks: done.chunks,
            buildMs,
            rssBeforeMiB,
            rssAfterMiB,
            rssPeakMiB: Math.max(rssPeakMiB, rssAfterMiB),
            indexFileBytes: statSync(file).size,
            loadAvg: loadAvg()
        };
    } finally {
        clearInterval(sampler);
    }
}

/** The files the saved index has chunks of, with their text (the source of the questions). */
export function indexedFiles(root: string, storageFolder: string): TreeFile[] {
    const stored = decodeIndex(readFileSync(path.join(storageFolder, INDEX_FILE_NAME), "utf8"));
    const out: TreeFile[] = [];
    for (const [file, entry] of stored.files) {
        if (entry.chunks.length === 0) continue;
        const relativePath = path.relative(root, file).split(path.sep).join("/");
        try {
            out.push({ relativePath, lines: readFileSync(file, "utf8").split(/\r?\n/) });
        } catch {
            /* gone */
        }
    }
    return out;
}

/** Edits `count` seeded source files one at a time and times each update until the index reports it. */
export async function measureUpdates(
    engine: IndexEngine,
    tree: MirroredTree,
    files: readonly TreeFile[],
    count: number,
    seed: number
): Promise<UpdateSample[]> {
    const random = seededRandom(seed ^ 0x0bd7);
    const pool = files
        .filter((f) => /\.(?:[cm]?[jt]s)$/.test(f.relativePath))
        .map((f) => f.relativePath)
        .sort();
    const samples: UpdateSample[] = [];
    for (let i = 0; i < count && pool.length > 0; i++) {
        const [relativePath] = pool.splice(Math.floor(random() * pool.length), 1);
        const file = path.join(tree.root, relativePath!);
        // One lower-case word of random letters: a token no other chunk has, so only the edited chunk can match.
        const marker = Array.from({ length: 12 }, () =>
            String.fromCharCode(97 + Math.floor(random() * 26))
        ).join("");
        const text = appendToFile(
            file,
            `export function ${marker}() { return "an edit made by the workspace index benchmark"; }`
        );
        const started = performance.now();
        const since = await engine.client.filesChanged([file]);
        const report = await engine.client.waitFor(() => true, since, 120_000);
        const { result } = await engine.client.search({
            query: `Where is ${marker} defined?`,
            limit: 1
        });
        const top = result.chunks[0];
        const line = text.split("\n").length - 1;
        samples.push({
            file: relativePath!,
            wallMs: report.at - started,
            found:
                top?.relativePath === relativePath && top.startLine <= line && top.endLine >= line,
            topHit: top && `${top.relativePath}:${top.startLine}-${top.endLine}`
        });
    }
    return samples;
}

/** A new engine that starts from the saved index of the same folder. */
export async function measureReload(
    engineJs: string,
    root: string,
    storageFolder: string
): Promise<ReloadFigures> {
    const engine = await IndexEngine.start(engineJs);
    try {
        const started = performance.now();
        const since = await engine.client.configure(root, storageFolder);
        const first = await engine.client.waitFor((p) => p.state === "building", since, 120_000);
        const done = await engine.client.waitFor(
            (p) => p.state === "ready" || p.state === "error",
            since,
            BUILD_TIMEOUT_MS
        );
        return {
            readyMs: done.at - started,
            files: done.files,
            chunks: done.chunks,
            firstBuild: first.firstBuild,
            rssAfterMiB: engine.rssMiB()
        };
    } finally {
        await engine.shutdown();
    }
}

export function temporaryFolder(label: string): { path: string; dispose(): void } {
    const folder = mkdtempSync(path.join(os.tmpdir(), `apprentice-wsbench-${label}-`));
    return { path: folder, dispose: () => rmSync(folder, { recursive: true, force: true }) };
}
