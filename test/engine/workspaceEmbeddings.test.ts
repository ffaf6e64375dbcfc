/**
 * Embedding retrieval in the workspace index, with a real GGUF through node-llama-cpp's embedding
 * context (stories260K stands in for an embedding model: a plumbing check, its similarities mean
 * little): chunks are embedded after the word index, only changed files are embedded again, the
 * vectors are saved beside the index and reloaded, a damaged vectors file is rebuilt, and a search
 * fuses both rankings. Over JSON-RPC the engine loads the model the client names.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Llama } from "node-llama-cpp";
import { LlamaEmbedder, type Embedder } from "../../src/engine/workspaceIndex/embedder";
import { reciprocalRankFusion } from "../../src/engine/workspaceIndex/rankFusion";
import { tokenize } from "../../src/engine/workspaceIndex/tokens";
import {
    decodeVectors,
    normalize,
    VECTORS_FILE_NAME
} from "../../src/engine/workspaceIndex/vectorStore";
import { WorkspaceIndex } from "../../src/engine/workspaceIndex/workspaceIndex";
import {
    WorkspaceIndexConfigureNotification,
    WorkspaceIndexProgressNotification,
    WorkspaceSearchRequest,
    type WorkspaceIndexProgress
} from "../../src/shared/workspaceIndexProtocol";
import { EngineProcess } from "../support/engineProcess";
import { requireModel } from "../support/models";

const FILES: Record<string, string> = {
    "src/auth/tokenStore.ts":
        'export class TokenStore {\n    private token = "";\n}\n\nexport async function refreshAccessToken(store: TokenStore): Promise<string> {\n    return store.toString();\n}\n',
    "src/app.ts":
        'import { refreshAccessToken } from "./auth/tokenStore";\n\nexport async function main(): Promise<void> {\n    await refreshAccessToken(store);\n}\n',
    "src/cart.js":
        "export function totalPrice(items) {\n    return items.reduce((sum, item) => sum + item.price, 0);\n}\n",
    ".env": "SECRET=refreshAccessToken-hunter2\n"
};

/** Counts what the real embedder is asked to embed. */
class CountingEmbedder implements Embedder {
    documents: string[] = [];
    queries = 0;
    constructor(private readonly inner: Embedder) {}
    get id(): string {
        return this.inner.id;
    }
    embedDocument(text: string): Promise<Float32Array> {
        this.documents.push(text);
        return this.inner.embedDocument(text);
    }
    embedQuery(text: string): Promise<Float32Array> {
        this.queries++;
        return this.inner.embedQuery(text);
    }
    dispose(): Promise<void> {
        return Promise.resolve();
    }
}

/**
 * Bag-of-words vectors (each identifier part hashed into 1,024 slots): an "embedding" whose nearest
 * chunks are known, to check that every vector stays with its chunk through the index.
 */
class HashingEmbedder implements Embedder {
    readonly id = "hashing-1024";
    embedDocument(text: string): Promise<Float32Array> {
        return Promise.resolve(this.vector(text));
    }
    embedQuery(text: string): Promise<Float32Array> {
        return Promise.resolve(this.vector(text));
    }
    dispose(): Promise<void> {
        return Promise.resolve();
    }
    private vector(text: string): Float32Array {
        const v = new Float32Array(1024);
        for (const token of tokenize(text)) {
            let h = 7;
            for (const c of token) h = (h * 31 + c.charCodeAt(0)) >>> 0;
            v[h % 1024]! += 1;
        }
        return normalize(v);
    }
}

describe("workspace index embeddings (real GGUF, node-llama-cpp embedding context)", () => {
    const root = mkdtempSync(path.join(tmpdir(), "apprentice-embed-"));
    const workspace = path.join(root, "workspace");
    const storage = path.join(root, "storage");
    const modelFile = requireModel("stories260K.gguf");
    let llama: Llama;
    let real: LlamaEmbedder;
    const options = { folders: [workspace], exclude: [], storageFolder: storage };
    const newIndex = () =>
        new WorkspaceIndex({ isSecret: (file) => path.basename(file) === ".env" });

    before(async () => {
        for (const [name, text] of Object.entries(FILES)) {
            await mkdir(path.dirname(path.join(workspace, name)), { recursive: true });
            await writeFile(path.join(workspace, name), text);
        }
        const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
        llama = await getLlama({
            gpu: false,
            build: "never",
            skipDownload: true,
            progressLogs: false,
            logLevel: LlamaLogLevel.error
        });
        real = await LlamaEmbedder.load(llama, modelFile);
    });
    after(async () => {
        await real?.dispose();
        await rm(root, { recursive: true, force: true });
    });

    it("embeds every chunk after the word index, saves the vectors beside it, and fuses both rankings in a search", async () => {
        const index = newIndex();
        const embedder = new CountingEmbedder(real);
        await index.configure(options);
        await index.setEmbedder(embedder);
        await index.idle();
        assert.equal(index.embeddedCount, index.chunkCount);
        assert.equal(embedder.documents.length, index.chunkCount, "each chunk embedded once");
        assert.ok(
            embedder.documents.every((d) => !d.includes("hunter2")),
            "the secret file is never embedded"
        );
        assert.deepEqual(index.retrievers, ["lexical", "embedding"]);
        const question = "where is refreshAccessToken defined";
        const hits = await index.search(question, 3);
        assert.equal(embedder.queries, 1, "the question is embedded");
        // The fused order is the reciprocal-rank fusion of the word ranking and the embedding ranking.
        const lexical = index.lexicalRanking(question, 200);
        const semantic = await index.embeddingRanking(question, 200);
        assert.equal(semantic?.length, index.chunkCount, "every chunk has a vector to rank");
        assert.deepEqual(
            hits.map((h) => h.id),
            reciprocalRankFusion([lexical, semantic!])
                .slice(0, 3)
                .map((r) => r.id)
        );
        assert.ok(
            hits.every((h) => h.score > 0 && h.score <= 2 / 61),
            "fused scores are reciprocal ranks"
        );
        // Asked for one retriever alone (the benchmark compares them), a search ranks by it only.
        assert.deepEqual(
            (await index.search(question, 3, 1500, ["lexical"])).map((h) => h.id),
            lexical.slice(0, 3).map((r) => r.id)
        );
        assert.deepEqual(
            (await index.search(question, 3, 1500, ["embedding"])).map((h) => h.id),
            semantic!.slice(0, 3).map((r) => r.id)
        );
        assert.ok(
            hits.some((h) => h.relativePath === "src/auth/tokenStore.ts"),
            JSON.stringify(hits.map((h) => h.relativePath))
        );
        await index.flush();
        const stored = decodeVectors(await readFile(path.join(storage, VECTORS_FILE_NAME)));
        assert.equal(stored.keys.length, index.chunkCount);
        assert.equal(stored.model, real.id);
        await index.dispose();
    });

    it("an embedding search alone finds the chunk whose vector is nearest (each vector stays with its chunk)", async () => {
        const folder = path.join(root, "many");
        const names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
        for (const [i, name] of names.entries())
            await writeFile(
                path.join(
                    await mkdir(folder, { recursive: true }).then(() => folder),
                    `${name}.js`
                ),
                `export function ${name}Parser(input) {\n    return input.split("${name}").length + ${i};\n}\n`
            );
        const index = newIndex();
        await index.configure({ folders: [folder], exclude: [], storageFolder: "" });
        await index.setEmbedder(new HashingEmbedder());
        await index.idle();
        assert.equal(index.embeddedCount, index.chunkCount);
        for (const name of names) {
            const [top] = await index.search(`${name} parser`, 1, 1500, ["embedding"]);
            assert.equal(top?.relativePath, `${name}.js`, `nearest chunk for "${name} parser"`);
        }
        await index.dispose();
    });

    it("after a restart only the chunks of a changed file are embedded again", async () => {
        await writeFile(
            path.join(workspace, "src/cart.js"),
            `${FILES["src/cart.js"]}\nexport function discount(price) {\n    return price * 0.9;\n}\n`
        );
        const index = newIndex();
        const embedder = new CountingEmbedder(real);
        await index.configure(options);
        await index.setEmbedder(embedder);
        await index.idle();
        assert.ok(embedder.documents.length > 0, "the changed file is embedded");
        assert.ok(
            embedder.documents.every((d) => d.startsWith("src/cart.js\n")),
            `only src/cart.js: ${JSON.stringify(embedder.documents.map((d) => d.split("\n")[0]))}`
        );
        assert.equal(index.embeddedCount, index.chunkCount);
        await index.dispose();
    });

    it("a damaged vectors file is rebuilt, and the word index keeps answering meanwhile", async () => {
        const file = path.join(storage, VECTORS_FILE_NAME);
        const data = await readFile(file);
        await writeFile(file, data.subarray(0, data.length - 7));
        const index = newIndex();
        const embedder = new CountingEmbedder(real);
        await index.configure(options);
        assert.ok(
            (await index.search("refreshAccessToken", 3)).some(
                (h) => h.relativePath === "src/auth/tokenStore.ts"
            ),
            "the word index answers"
        );
        await index.setEmbedder(embedder);
        await index.idle();
        assert.equal(embedder.documents.length, index.chunkCount, "every chunk embedded again");
        await index.flush();
        assert.equal(
            decodeVectors(await readFile(file)).keys.length,
            index.chunkCount,
            "a good file written again"
        );
        await index.dispose();
    });

    it("the engine loads the embedding model the client names; a missing one leaves word search working", async () => {
        const engine = EngineProcess.spawn();
        const progress: WorkspaceIndexProgress[] = [];
        try {
            engine.connection.onNotification(WorkspaceIndexProgressNotification.type, (p) => {
                progress.push(p);
            });
            await engine.initialize({});
            const configure = (embeddingModel: string) =>
                engine.connection.sendNotification(WorkspaceIndexConfigureNotification.type, {
                    enabled: true,
                    folders: [workspace],
                    storageFolder: "",
                    exclude: [],
                    embeddingModel
                });
            const until = async (predicate: () => Promise<boolean>) => {
                const deadline = Date.now() + 60_000;
                while (!(await predicate())) {
                    if (Date.now() > deadline)
                        throw new Error(`Timed out; logs:\n${engine.logs.slice(-8).join("\n")}`);
                    await new Promise((r) => setTimeout(r, 100));
                }
            };
            await configure(path.join(root, "missing.gguf"));
            await until(
                async () =>
                    progress.some((p) => p.state === "ready") &&
                    engine.logs.some((l) => l.includes("missing.gguf"))
            );
            let result = await engine.connection.sendRequest(WorkspaceSearchRequest.type, {
                query: "where is refreshAccessToken defined",
                limit: 3
            });
            assert.deepEqual(result.retrievers, ["lexical"]);
            assert.ok(
                result.chunks.some((c) => c.relativePath === "src/auth/tokenStore.ts"),
                JSON.stringify(result.chunks.map((c) => c.relativePath))
            );
            await configure(modelFile);
            await until(async () =>
                (
                    await engine.connection.sendRequest(WorkspaceSearchRequest.type, {
                        query: "x",
                        limit: 1
                    })
                ).retrievers.includes("embedding")
            );
            const wordsOnly = result;
            result = await engine.connection.sendRequest(WorkspaceSearchRequest.type, {
                query: "where is refreshAccessToken defined",
                limit: 3
            });
            assert.deepEqual(result.retrievers, ["lexical", "embedding"]);
            assert.ok(
                result.chunks.some((c) => c.relativePath === "src/auth/tokenStore.ts"),
                JSON.stringify(result.chunks.map((c) => c.relativePath))
            );
            // The progress counts embedded chunks until every chunk has one.
            await until(async () =>
                progress.some((p) => p.chunks > 0 && p.embeddedChunks === p.chunks)
            );
            assert.equal(
                progress.find((p) => p.state === "ready")?.embeddedChunks,
                undefined,
                "no embedded count without an embedding model"
            );
            // One retriever alone: the words alone answer as before the model was loaded.
            const lexical = await engine.connection.sendRequest(WorkspaceSearchRequest.type, {
                query: "where is refreshAccessToken defined",
                limit: 3,
                retrievers: ["lexical"]
            });
            assert.deepEqual(lexical.retrievers, ["lexical"]);
            assert.deepEqual(lexical.chunks, wordsOnly.chunks);
            const semantic = await engine.connection.sendRequest(WorkspaceSearchRequest.type, {
                query: "where is refreshAccessToken defined",
                limit: 3,
                retrievers: ["embedding"]
            });
            assert.deepEqual(semantic.retrievers, ["embedding"]);
            assert.equal(semantic.chunks.length, 3);
        } finally {
            await engine.shutdown();
        }
    });
});
