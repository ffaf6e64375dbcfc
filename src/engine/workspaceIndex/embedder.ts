/**
 * Embeddings for the workspace index from a GGUF model the user chose
 * (`apprentice.workspaceIndex.embeddingModel`), through node-llama-cpp's embedding context. It has
 * its own model and context, one thread, and a short context: it never shares the completion
 * model's sequences. Catalog models get their query/document prefixes (nomic-embed's
 * `search_query: `); any other GGUF is used as it is.
 */
import { stat } from "node:fs/promises";
import * as path from "node:path";
import type { Llama, LlamaEmbeddingContext, LlamaModel } from "node-llama-cpp";
import { CATALOG, entryFileName } from "../../shared/catalog";
import { normalize } from "./vectorStore";

/** Tokens of a chunk that are embedded (the rest of a long chunk still counts for BM25). */
const EMBED_CONTEXT = 512;

export interface Embedder {
    /** Names the model (path, size, time): vectors of another model are not comparable. */
    readonly id: string;
    /** A unit-length vector for a chunk of code. */
    embedDocument(text: string): Promise<Float32Array>;
    /** A unit-length vector for a question. */
    embedQuery(text: string): Promise<Float32Array>;
    dispose(): Promise<void>;
}

export class EmbeddingModelError extends Error {
    override readonly name = "EmbeddingModelError";
}

export class LlamaEmbedder implements Embedder {
    private queue: Promise<unknown> = Promise.resolve();

    private constructor(
        readonly id: string,
        private readonly model: LlamaModel,
        private readonly context: LlamaEmbeddingContext,
        private readonly prefixes: { query: string; document: string }
    ) {}

    static async load(llama: Llama, modelPath: string): Promise<LlamaEmbedder> {
        if (!path.isAbsolute(modelPath))
            throw new EmbeddingModelError(`The embedding model path ${modelPath} is not absolute.`);
        const info = await stat(modelPath).catch(() => undefined);
        if (!info?.isFile())
            throw new EmbeddingModelError(
                `The embedding model ${modelPath} does not exist. Set apprentice.workspaceIndex.embeddingModel to a GGUF file, or leave it empty for word search only.`
            );
        let model: LlamaModel | undefined;
        try {
            model = await llama.loadModel({ modelPath, gpuLayers: 0 });
            const contextSize = Math.min(EMBED_CONTEXT, model.trainContextSize || EMBED_CONTEXT);
            const context = await model.createEmbeddingContext({
                contextSize,
                batchSize: contextSize,
                threads: 1
            });
            const entry = CATALOG.find((e) => entryFileName(e) === path.basename(modelPath));
            const prefixes = {
                query: entry?.embedding?.queryPrefix ?? "",
                document: entry?.embedding?.documentPrefix ?? ""
            };
            return new LlamaEmbedder(
                `${path.resolve(modelPath)}|${info.size}|${info.mtimeMs}`,
                model,
                context,
                prefixes
            );
        } catch (error) {
            await model?.dispose().catch(() => undefined);
            throw new EmbeddingModelError(
                `llama.cpp could not make embeddings with ${modelPath}: ${error instanceof Error ? error.message : String(error)}`,
                { cause: error }
            );
        }
    }

    embedDocument(text: string): Promise<Float32Array> {
        return this.embed(this.prefixes.document + text);
    }
    embedQuery(text: string): Promise<Float32Array> {
        return this.embed(this.prefixes.query + text);
    }

    /** One at a time; text longer than the context is cut to fit. */
    private embed(text: string): Promise<Float32Array> {
        const run = this.queue.then(async () => {
            let tokens = this.model.tokenize(text);
            const room = EMBED_CONTEXT - 8;
            if (this.context.calculateInputLength(tokens) > room) tokens = tokens.slice(0, room);
            const embedding = await this.context.getEmbeddingFor(tokens);
            return normalize(embedding.vector);
        });
        this.queue = run.catch(() => undefined);
        return run;
    }

    async dispose(): Promise<void> {
        await this.queue;
        await this.context.dispose().catch(() => undefined);
        await this.model.dispose().catch(() => undefined);
    }
}
