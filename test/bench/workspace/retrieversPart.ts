/**
 * Lexical, embedding and fused retrieval side by side (`--embedding-model FILE`): a smaller tree
 * (every chunk is embedded, one at a time, on one thread) indexed with the embedding model, then
 * the same questions asked of each retriever alone and of both fused.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { INDEX_FILE_NAME } from "../../../src/engine/workspaceIndex/indexStore";
import { loadAvg } from "../machine";
import type { Table } from "../results";
import type { BenchContext } from "../suite";
import { IndexEngine, indexedFiles, temporaryFolder } from "./build";
import { makeQuestions } from "./questions";
import { runRetrieval } from "./retrieval";
import { questionRanks, retrievalTable } from "./retrievalTable";
import { mirrorTree } from "./tree";

/** The tree embedded: the JSON-RPC and language-server protocol packages (about 110 files). */
export const EMBEDDING_PACKAGES = ["vscode-jsonrpc", "vscode-languageserver-protocol"];
const EMBED_TIMEOUT_MS = 60 * 60_000;

export async function retrieversPart(
    context: BenchContext,
    nodeModules: string,
    note: string,
    figures: Record<string, number>,
    tables: Table[],
    samples: Record<string, unknown>
): Promise<void> {
    const { options, log } = context;
    const model = options.embeddingModel;
    if (!model) return;
    const tree = mirrorTree(nodeModules, EMBEDDING_PACKAGES);
    const storage = temporaryFolder("embed");
    const engine = await IndexEngine.start(options.engine);
    try {
        const loadBefore = loadAvg();
        const started = performance.now();
        const since = await engine.client.configure(tree.root, storage.path, model);
        const done = await engine.client.waitFor(
            (p) =>
                p.state === "error" ||
                (p.state === "ready" && p.chunks > 0 && p.embeddedChunks === p.chunks),
            since,
            EMBED_TIMEOUT_MS
        );
        if (done.state === "error")
            throw new Error(`The index build failed: ${done.message ?? "no message"}`);
        const seconds = (done.at - started) / 1000;
        const file = path.join(storage.path, INDEX_FILE_NAME);
        for (let i = 0; i < 1200 && !existsSync(file); i++)
            await new Promise((r) => setTimeout(r, 100));
        log(
            `  embedding tree (${EMBEDDING_PACKAGES.join(", ")}): ${done.chunks} chunks indexed and embedded with ${path.basename(model)} in ${seconds.toFixed(1)} s (load average ${loadBefore.join(" ")} → ${loadAvg().join(" ")})`
        );
        Object.assign(figures, {
            smallTreeChunks: done.chunks,
            smallTreeEmbedSeconds: seconds
        });
        const questions = makeQuestions(
            indexedFiles(tree.root, storage.path),
            options.mode === "full" ? 200 : 60,
            options.seed
        );
        const runs = await runRetrieval(engine.client, questions);
        log(
            `  ${questions.length} questions asked of ${runs.map((r) => r.retriever).join(", ")} (load average ${loadAvg().join(" ")})`
        );
        tables.push(
            retrievalTable(
                `Retrievers side by side on ${EMBEDDING_PACKAGES.join(" + ")} (${done.chunks} chunks, embedding model ${path.basename(model)}): ${questions.length} questions (seed ${options.seed})`,
                runs,
                questions,
                figures,
                "small",
                `${note} Every chunk embedded in ${seconds.toFixed(0)} s before the questions; "fused" is the engine's default search (reciprocal-rank fusion, k = 60), "lexical" and "embedding" each alone.`
            )
        );
        samples.smallTreeQuestions = questionRanks(runs, questions);
    } finally {
        await engine.shutdown().catch(() => undefined);
        tree.dispose();
        storage.dispose();
    }
}
