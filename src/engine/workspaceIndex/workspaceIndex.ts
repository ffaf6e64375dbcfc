/**
 * The workspace code index: chunks of every indexable file of the workspace folders in a BM25
 * index (identifier-aware tokens), built in the background in small time slices, updated per
 * changed file, saved to the workspace storage and loaded again at the next start (then only
 * files whose size or time changed are read again). With an embedding model (`setEmbedder`) the
 * chunks are also embedded, after the word index and in the same small slices, and a search fuses
 * the word ranking with the embedding ranking by reciprocal rank.
 */
import { readFile, rename, stat } from "node:fs/promises";
import * as path from "node:path";
import {
    INDEX_OFF,
    type WorkspaceIndexProgress,
    type WorkspaceIndexState,
    type WorkspaceRetriever
} from "../../shared/workspaceIndexProtocol";
import { Bm25 } from "./bm25";
import { chunkText } from "./chunker";
import type { Embedder } from "./embedder";
import { FileFilter, isUnder, looksBinary, MAX_FILE_BYTES, toPosix } from "./fileFilter";
import {
    DamagedIndexError,
    encodeIndex,
    INDEX_FILE_NAME,
    readIndexFile,
    writeIndexFile,
    type StoredIndex
} from "./indexStore";
import { reciprocalRankFusion } from "./rankFusion";
import { queryTokens, termFrequencies, tokenize } from "./tokens";
import { readVectorsFile, VECTORS_FILE_NAME, VectorStore, writeVectorsFile } from "./vectorStore";
import { listFiles } from "./walker";
import { WorkPacer } from "./workPacer";
import { chunkHits } from "./chunkHits";
import { restoreSnapshot, restoreVectors, snapshotOf, vectorsOf } from "./snapshot";
import type { ChunkData, FileEntry, IndexHooks, IndexOptions, SearchHit } from "./indexTypes";

export type { IndexHooks, IndexOptions, SearchHit } from "./indexTypes";

/** Identifiers on a chunk's declaration line count this many times. */
const DECLARATION_WEIGHT = 2;
/** A chunk that declares an identifier of the question scores this many times higher ("where is X defined"). */
const DECLARES_BOOST = 2;
/** BM25 candidates looked at before the declaration boost reorders them. */
const CANDIDATES = 200;
const SAVE_DELAY_MS = 2000;
const PROGRESS_EVERY_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WorkspaceIndex {
    private bm25 = new Bm25<ChunkData>();
    private vectors = new VectorStore();
    private embedder: Embedder | undefined;
    /** Vectors changed since the last save of the vectors file. */
    private vectorsDirty = false;
    /** Which embedder's vectors were loaded from the vectors file ("" none yet). */
    private vectorsLoadedFor = "";
    private files = new Map<string, FileEntry>();
    private filters = new Map<string, FileFilter>();
    private options: IndexOptions | undefined;
    private stateValue: WorkspaceIndexState = "off";
    private abort = new AbortController();
    private work: Promise<void> = Promise.resolve();
    private pendingChanges = new Set<string>();
    private changeTimer: NodeJS.Timeout | undefined;
    private saveTimer: NodeJS.Timeout | undefined;
    private dirty = false;
    private saving: Promise<void> = Promise.resolve();
    private loadedFrom: string | undefined;
    private lastProgress = 0;
    private progress: WorkspaceIndexProgress = { ...INDEX_OFF };
    private disposed = false;

    private readonly pacer: WorkPacer;

    constructor(private readonly hooks: IndexHooks) {
        this.pacer = new WorkPacer(hooks);
    }

    get state(): WorkspaceIndexState {
        return this.stateValue;
    }
    /** Files with at least one chunk (huge and binary files are remembered, with none). */
    get fileCount(): number {
        let n = 0;
        for (const entry of this.files.values()) if (entry.chunkIds.length > 0) n++;
        return n;
    }
    get chunkCount(): number {
        return this.bm25.size;
    }
    /** Chunks that have an embedding. */
    get embeddedCount(): number {
        return this.vectors.size;
    }
    /** Which retrievers a search uses now. */
    get retrievers(): WorkspaceRetriever[] {
        return this.embedder ? ["lexical", "embedding"] : ["lexical"];
    }
    get indexFilePath(): string | undefined {
        return this.options?.storageFolder
            ? path.join(this.options.storageFolder, INDEX_FILE_NAME)
            : undefined;
    }
    get vectorsFilePath(): string | undefined {
        return this.options?.storageFolder
            ? path.join(this.options.storageFolder, VECTORS_FILE_NAME)
            : undefined;
    }

    /**
     * Uses this embedder from now on (undefined: words only). Chunks without a vector are embedded
     * in the background after any build; vectors of another model are dropped.
     */
    setEmbedder(embedder: Embedder | undefined): Promise<void> {
        if (embedder?.id !== this.embedder?.id) {
            this.vectors.clear();
            this.vectorsLoadedFor = "";
        }
        this.embedder = embedder;
        if (!embedder || !this.options) return this.work;
        const signal = this.abort.signal;
        this.work = this.work
            .then(() => this.embedPending(signal))
            .catch((error: unknown) => {
                this.hooks.log?.warn(
                    `Embedding the workspace index failed: ${error instanceof Error ? error.message : String(error)}`
                );
            });
        return this.work;
    }
    get lastProgressReport(): WorkspaceIndexProgress {
        return this.progress;
    }

    /** Starts (or restarts) indexing these folders; resolves when the pass is done (or replaced). */
    configure(options: IndexOptions): Promise<void> {
        this.abort.abort();
        this.abort = new AbortController();
        const signal = this.abort.signal;
        this.options = {
            folders: options.folders.map((f) => path.resolve(f)),
            exclude: [...options.exclude],
            storageFolder: options.storageFolder
        };
        this.filters = new Map(
            this.options.folders.map((f) => [
                f,
                new FileFilter(f, options.exclude, this.hooks.isSecret)
            ])
        );
        this.work = this.work
            .then(() => this.rebuild(signal))
            .catch((error: unknown) => {
                if (signal.aborted) return;
                this.setState(
                    "error",
                    `Indexing failed: ${error instanceof Error ? error.message : String(error)}`
                );
            });
        return this.work;
    }

    /** Stops indexing and forgets the index in memory (the file stays). */
    async turnOff(): Promise<void> {
        this.abort.abort();
        await this.work;
        await this.flush();
        this.options = undefined;
        this.clear();
        this.setState("off");
    }

    /** A watcher saw these files change (created, changed or deleted); they are read again shortly. */
    filesChanged(paths: readonly string[]): void {
        if (!this.options || this.stateValue === "off") return;
        for (const p of paths) this.pendingChanges.add(path.resolve(p));
        if (this.changeTimer) return;
        this.changeTimer = setTimeout(() => {
            this.changeTimer = undefined;
            const signal = this.abort.signal;
            this.work = this.work
                .then(() => this.applyChanges(signal))
                .catch((error: unknown) => {
                    this.hooks.log?.warn(
                        `Updating the workspace index failed: ${error instanceof Error ? error.message : String(error)}`
                    );
                });
        }, 300);
    }

    /** Resolves when the work queued so far (a build, changes) is done. */
    async idle(): Promise<void> {
        let seen: Promise<void> | undefined;
        while (seen !== this.work || this.changeTimer) {
            seen = this.work;
            await seen;
            if (this.changeTimer) await sleep(350);
        }
    }

    /** The chunks that best answer a question, with their current text, best first. */
    /** `use`: the retrievers to rank with (default all the index has); several are fused by rank. */
    async search(
        question: string,
        limit = 8,
        maxTokens = 1500,
        use: readonly WorkspaceRetriever[] = this.retrievers
    ): Promise<SearchHit[]> {
        if (queryTokens(question).length === 0) return [];
        const candidates = Math.max(limit * 3, CANDIDATES);
        const rankings = [
            use.includes("lexical") ? this.lexicalRanking(question, candidates) : undefined,
            use.includes("embedding")
                ? await this.embeddingRanking(question, candidates)
                : undefined
        ].filter((r) => r !== undefined);
        const ranked = rankings.length > 1 ? reciprocalRankFusion(rankings) : (rankings[0] ?? []);
        return this.materialize(ranked, limit, maxTokens);
    }

    /** The chunks that best match the question's words (BM25, declarations of its identifiers first), best first. */
    lexicalRanking(question: string, limit: number): { id: number; score: number }[] {
        const terms = queryTokens(question);
        if (terms.length === 0) return [];
        const wanted = new Set(terms);
        return this.bm25
            .search(terms, limit)
            .map((h) => ({
                id: h.id,
                score:
                    h.chunk.data.declares && wanted.has(h.chunk.data.declares)
                        ? h.score * DECLARES_BOOST
                        : h.score
            }))
            .sort((a, b) => b.score - a.score);
    }

    /** The chunks nearest the question by embedding, best first; undefined without an embedder or vectors. */
    async embeddingRanking(
        question: string,
        limit: number
    ): Promise<{ id: number; score: number }[] | undefined> {
        const embedder = this.embedder;
        if (!embedder || this.vectors.size === 0) return undefined;
        try {
            return this.vectors.search(await embedder.embedQuery(question), limit);
        } catch (error) {
            this.hooks.log?.warn(
                `Could not embed the question; searching by words only: ${error instanceof Error ? error.message : String(error)}`
            );
            return undefined;
        }
    }

    /** Ranked ids (from any retriever) to chunks with text, within `limit` and about `maxTokens`. */
    materialize(
        ranked: readonly { id: number; score: number }[],
        limit: number,
        maxTokens: number
    ): Promise<SearchHit[]> {
        return chunkHits(ranked, limit, maxTokens, this.bm25, this.files);
    }

    /** The chunk ids of one file (for tests and benchmarks). */
    chunksOf(file: string): { startLine: number; endLine: number }[] {
        return (this.files.get(path.resolve(file))?.chunkIds ?? []).map(
            (id) => this.bm25.get(id)!.data
        );
    }

    /** Writes a pending save now. */
    async flush(): Promise<void> {
        if (this.saveTimer) {
            clearTimeout(this.saveTimer);
            this.saveTimer = undefined;
        }
        if (this.dirty || this.vectorsDirty) await this.save();
    }

    async dispose(): Promise<void> {
        this.disposed = true;
        this.abort.abort();
        if (this.changeTimer) clearTimeout(this.changeTimer);
        await this.work.catch(() => undefined);
        await this.flush().catch(() => undefined);
    }

    // ---- building ----

    private async rebuild(signal: AbortSignal): Promise<void> {
        const options = this.options!;
        const firstBuild = await this.loadSaved(options);
        this.progress = {
            state: "building",
            filesDone: 0,
            filesTotal: 0,
            files: this.fileCount,
            chunks: this.bm25.size,
            firstBuild
        };
        this.setState("building");
        const listed = new Map<string, string>();
        for (const root of options.folders) {
            const result = await listFiles(root, this.filters.get(root)!, signal);
            if (signal.aborted) return;
            for (const f of result.files) if (!listed.has(f)) listed.set(f, root);
            if (result.truncated)
                this.hooks.log?.warn(
                    `The workspace index leaves out files beyond the first 50,000 in ${root}.`
                );
        }
        for (const file of [...this.files.keys()]) if (!listed.has(file)) this.removeFile(file);
        this.progress.filesTotal = listed.size;
        let done = 0;
        for (const [file, root] of listed) {
            if (signal.aborted) return;
            await this.pacer.pace(signal);
            await this.indexFile(file, root);
            done++;
            this.progress.filesDone = done;
            this.report();
        }
        if (signal.aborted) return;
        this.progress.filesDone = listed.size;
        this.setState("ready");
        if (this.dirty) await this.save();
        await this.embedPending(signal);
    }

    /** Loads the saved index once per storage folder; returns true when there was none to start from. */
    private async loadSaved(options: IndexOptions): Promise<boolean> {
        const file = options.storageFolder
            ? path.join(options.storageFolder, INDEX_FILE_NAME)
            : undefined;
        if (this.loadedFrom !== undefined && this.loadedFrom === (file ?? "")) return false;
        this.clear();
        this.loadedFrom = file ?? "";
        if (!file) return true;
        let stored: StoredIndex | undefined;
        try {
            stored = await readIndexFile(file);
        } catch (error) {
            const aside = `${file.replace(/\.json$/, "")}.corrupt-${Date.now()}.json`;
            this.hooks.log?.warn(
                `The workspace index file ${file} could not be used (${error instanceof DamagedIndexError ? error.message : String(error)}); it was moved to ${aside} and the index is built again.`
            );
            await rename(file, aside).catch(() => undefined);
            return true;
        }
        if (!stored) return true;
        if (restoreSnapshot(stored, options.folders, this.bm25, this.files)) this.dirty = true;
        this.hooks.log?.info(
            `Loaded the workspace index: ${this.fileCount} files, ${this.bm25.size} chunks.`
        );
        return false;
    }

    private async applyChanges(signal: AbortSignal): Promise<void> {
        const options = this.options;
        if (!options || signal.aborted) return;
        const changed = [...this.pendingChanges];
        this.pendingChanges.clear();
        let gitignoreChanged = false;
        for (const file of changed) {
            if (signal.aborted) return;
            const root = options.folders.find((r) => isUnder(r, file));
            if (!root) continue;
            if (path.basename(file) === ".gitignore") {
                gitignoreChanged = true;
                continue;
            }
            await this.pacer.pace(signal);
            const filter = this.filters.get(root)!;
            await filter.loadChain(file);
            const info = await stat(file).catch(() => undefined);
            if (
                info?.isDirectory() &&
                !filter.skipsAncestor(file) &&
                !filter.skipsEntry(file, true)
            ) {
                // A new (or moved) folder: watchers may report only the folder, not the files created in it at once.
                const inside = await listFiles(file, filter, signal);
                for (const f of inside.files) {
                    if (signal.aborted) return;
                    await this.pacer.pace(signal);
                    await this.indexFile(f, root);
                }
                continue;
            }
            if (
                !info ||
                !info.isFile() ||
                filter.skipsAncestor(file) ||
                filter.skipsEntry(file, false)
            ) {
                // Deleted, now ignored, or a folder (deleting a folder reports the folder only).
                if (!info)
                    for (const known of [...this.files.keys()])
                        if (known === file || isUnder(file, known)) this.removeFile(known);
                if (info?.isFile()) this.removeFile(file);
                continue;
            }
            await this.indexFile(file, root);
        }
        if (gitignoreChanged) {
            // Which files count may have changed anywhere: a new pass (unchanged files are not read again).
            for (const filter of this.filters.values())
                for (const file of changed)
                    if (path.basename(file) === ".gitignore")
                        filter.forgetFolder(path.dirname(file));
            await this.rebuild(signal);
            return;
        }
        this.report(true);
        this.scheduleSave();
        await this.embedPending(signal);
    }

    /** Reads and indexes one file when its size or time changed (or it is new). */
    private async indexFile(file: string, root: string): Promise<void> {
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile()) {
            this.removeFile(file);
            return;
        }
        const known = this.files.get(file);
        if (
            known &&
            known.mtimeMs === info.mtimeMs &&
            known.size === info.size &&
            known.root === root
        )
            return;
        this.removeFile(file);
        this.dirty = true;
        if (info.size > MAX_FILE_BYTES) {
            this.files.set(file, { root, mtimeMs: info.mtimeMs, size: info.size, chunkIds: [] });
            return;
        }
        const content = await readFile(file).catch(() => undefined);
        if (!content) return;
        if (looksBinary(content)) {
            this.files.set(file, { root, mtimeMs: info.mtimeMs, size: info.size, chunkIds: [] });
            return;
        }
        const text = content.toString("utf8");
        const pathTokens = tokenize(toPosix(path.relative(root, file)));
        const chunkIds: number[] = [];
        for (const chunk of chunkText(text, file)) {
            const tokens = tokenize(chunk.text);
            // The length BM25 normalizes by is the code's own; the weighted and path tokens come on top.
            const length = tokens.length;
            if (chunk.declarationLine) {
                const declared = tokenize(chunk.declarationLine);
                for (let i = 1; i < DECLARATION_WEIGHT; i++) tokens.push(...declared);
            }
            tokens.push(...pathTokens);
            const data: ChunkData = {
                file,
                startLine: chunk.startLine,
                endLine: chunk.endLine,
                ...(chunk.declares ? { declares: chunk.declares.toLowerCase() } : {})
            };
            chunkIds.push(this.bm25.add(termFrequencies(tokens), length, data));
            if (this.pacer.due()) await this.pacer.pace(this.abort.signal);
        }
        this.files.set(file, { root, mtimeMs: info.mtimeMs, size: info.size, chunkIds });
    }

    private removeFile(file: string): void {
        const entry = this.files.get(file);
        if (!entry) return;
        for (const id of entry.chunkIds) {
            this.bm25.remove(id);
            if (this.vectors.has(id)) {
                this.vectors.delete(id);
                this.vectorsDirty = true;
            }
        }
        this.files.delete(file);
        this.dirty = true;
    }

    private clear(): void {
        this.bm25 = new Bm25<ChunkData>();
        this.vectors.clear();
        this.vectorsLoadedFor = "";
        this.vectorsDirty = false;
        this.files = new Map();
        this.dirty = false;
    }

    // ---- embeddings ----

    /** Embeds every chunk that has no vector yet, a chunk at a time, pausing while the user types. */
    private async embedPending(signal: AbortSignal): Promise<void> {
        const embedder = this.embedder;
        if (!embedder || signal.aborted || this.stateValue === "off") return;
        await this.loadVectors(embedder);
        let embedded = 0;
        for (const [file, entry] of [...this.files]) {
            const missing = entry.chunkIds.filter((id) => !this.vectors.has(id));
            if (missing.length === 0) continue;
            const lines = await readFile(file, "utf8").then(
                (t) => t.split(/\r?\n/),
                () => undefined
            );
            if (!lines) continue;
            const relative = toPosix(path.relative(entry.root, file));
            for (const id of missing) {
                if (signal.aborted || this.embedder !== embedder) return;
                await this.pacer.pace(signal);
                const chunk = this.bm25.get(id);
                if (!chunk) continue;
                const text = lines.slice(chunk.data.startLine - 1, chunk.data.endLine).join("\n");
                const vector = await embedder.embedDocument(`${relative}\n${text}`);
                // The file may have changed (and this chunk gone) while it was embedded.
                if (this.bm25.get(id) !== chunk || this.embedder !== embedder) continue;
                this.vectors.set(id, vector);
                this.vectorsDirty = true;
                embedded++;
                this.pacer.restart();
                this.report();
            }
        }
        this.report(true);
        if (embedded > 0)
            this.hooks.log?.info(
                `Embedded ${embedded} chunks of the workspace index (${this.vectors.size} of ${this.bm25.size} have vectors).`
            );
        this.scheduleSave();
    }

    /** Takes the stored vectors of chunks that have not changed since, once per embedder. */
    private async loadVectors(embedder: Embedder): Promise<void> {
        if (this.vectorsLoadedFor === embedder.id) return;
        this.vectorsLoadedFor = embedder.id;
        const file = this.vectorsFilePath;
        if (!file) return;
        let stored;
        try {
            stored = await readVectorsFile(file);
        } catch (error) {
            this.hooks.log?.warn(
                `The workspace embeddings file ${file} could not be used (${error instanceof Error ? error.message : String(error)}); the chunks are embedded again.`
            );
            this.vectorsDirty = true;
            return;
        }
        if (!stored) return;
        if (stored.model !== embedder.id) {
            this.vectorsDirty = true;
            return;
        }
        restoreVectors(stored, this.files, this.bm25, this.vectors);
        this.hooks.log?.info(`Loaded ${this.vectors.size} embeddings of the workspace index.`);
    }

    // ---- saving and reporting ----

    private scheduleSave(): void {
        if ((!this.dirty && !this.vectorsDirty) || this.saveTimer || this.disposed) return;
        this.saveTimer = setTimeout(() => {
            this.saveTimer = undefined;
            void this.save();
        }, SAVE_DELAY_MS);
    }

    /** Saves one at a time, in order: an older snapshot must never be renamed over a newer one. */
    private save(): Promise<void> {
        this.saving = this.saving.then(() => this.writeSnapshot()).then(() => this.writeVectors());
        return this.saving;
    }

    /** Writes the vectors file when vectors changed (the vectors of chunks as they are now). */
    private async writeVectors(): Promise<void> {
        const file = this.vectorsFilePath;
        const embedder = this.embedder;
        if (!file || !embedder || !this.vectorsDirty) {
            this.vectorsDirty = false;
            return;
        }
        this.vectorsDirty = false;
        try {
            await writeVectorsFile(
                file,
                vectorsOf(this.files, this.bm25, this.vectors, embedder.id)
            );
        } catch (error) {
            this.vectorsDirty = true;
            this.hooks.log?.warn(
                `Could not save the workspace embeddings to ${file}: ${error instanceof Error ? error.message : String(error)}`
            );
        }
    }

    private async writeSnapshot(): Promise<void> {
        const file = this.indexFilePath;
        if (!file) {
            this.dirty = false;
            return;
        }
        this.dirty = false;
        try {
            const text = encodeIndex(snapshotOf(this.files, this.bm25));
            await writeIndexFile(file, text);
            this.hooks.log?.info(
                `Saved the workspace index (${this.fileCount} files, ${this.bm25.size} chunks, ${Math.round(text.length / 1024)} KiB).`
            );
        } catch (error) {
            this.dirty = true;
            this.hooks.log?.warn(
                `Could not save the workspace index to ${file}: ${error instanceof Error ? error.message : String(error)}`
            );
        }
    }

    private setState(state: WorkspaceIndexState, message?: string): void {
        this.stateValue = state;
        this.progress = {
            ...this.progress,
            state,
            files: this.fileCount,
            chunks: this.bm25.size,
            ...(message ? { message } : {})
        };
        if (!message) delete this.progress.message;
        this.report(true);
    }

    private report(force = false): void {
        const now = performance.now();
        if (!force && now - this.lastProgress < PROGRESS_EVERY_MS) return;
        this.lastProgress = now;
        this.progress.files = this.fileCount;
        this.progress.chunks = this.bm25.size;
        if (this.embedder) this.progress.embeddedChunks = this.vectors.size;
        else delete this.progress.embeddedChunks;
        this.hooks.onProgress?.({ ...this.progress });
    }
}
