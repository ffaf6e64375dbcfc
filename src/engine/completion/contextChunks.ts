/**
 * Context from other files: the recently opened, edited and saved files are cut into chunks of
 * lines; the chunks most similar to the text around the cursor (Jaccard similarity of identifier
 * sets) are chosen, deduplicated, and kept in a stable order so that the head of the prompt, where
 * they go, stays in the KV cache from one keystroke to the next.
 */

export const CHUNK_LIMITS = {
    /** Lines per chunk. */
    lines: 16,
    /** Files remembered. */
    files: 8,
    /** Chunks remembered per file. */
    chunksPerFile: 64,
    /** Characters read from a file (a 10 MB file costs the same as a 200 KB one). */
    fileChars: 200_000,
    /** Characters per chunk. */
    chunkChars: 1200
} as const;

export interface Chunk {
    uri: string;
    /** Path shown in the prompt (the last segments of the uri). */
    path: string;
    text: string;
    identifiers: ReadonlySet<string>;
}

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]{2,}/g;

export function identifiersOf(text: string): Set<string> {
    return new Set(text.match(IDENTIFIER) ?? []);
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
    if (a.size === 0 || b.size === 0) return 0;
    let shared = 0;
    const [small, large] = a.size <= b.size ? [a, b] : [b, a];
    for (const x of small) if (large.has(x)) shared++;
    return shared / (a.size + b.size - shared);
}

export function displayPath(uri: string): string {
    const clean = decodeURIComponentSafe(uri.replace(/^[a-z]+:\/\//i, ""));
    return clean.split("/").slice(-3).join("/");
}

function decodeURIComponentSafe(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/** Cuts a file's text into chunks of non-blank lines. */
export function chunkText(uri: string, text: string): Chunk[] {
    const capped =
        text.length > CHUNK_LIMITS.fileChars ? text.slice(0, CHUNK_LIMITS.fileChars) : text;
    if (capped.includes("\u0000")) return [];
    const lines = capped.split(/\r?\n/);
    const chunks: Chunk[] = [];
    const path = displayPath(uri);
    for (
        let i = 0;
        i < lines.length && chunks.length < CHUNK_LIMITS.chunksPerFile;
        i += CHUNK_LIMITS.lines
    ) {
        const body = lines
            .slice(i, i + CHUNK_LIMITS.lines)
            .map((l) => l.slice(0, 200))
            .join("\n")
            .slice(0, CHUNK_LIMITS.chunkChars);
        if (body.trim().length < 20) continue;
        chunks.push({ uri, path, text: body, identifiers: identifiersOf(body) });
    }
    return chunks;
}

/** Remembers chunks of recent files, most recent first. Files are chunked lazily, when needed. */
export class ChunkStore {
    private readonly files = new Map<string, { read: () => string; chunks?: Chunk[] }>();

    /** A file was opened, edited or saved: it becomes the most recent; it is re-chunked when next needed. */
    remember(uri: string, read: () => string): void {
        this.files.delete(uri);
        this.files.set(uri, { read });
        while (this.files.size > CHUNK_LIMITS.files)
            this.files.delete(this.files.keys().next().value as string);
    }

    forget(uri: string): void {
        this.files.delete(uri);
    }
    clear(): void {
        this.files.clear();
    }

    /**
     * The best chunks for the text around the cursor in `currentUri` (never from that file), most
     * similar first, at most `max`, texts deduplicated, each above `minSimilarity`, only from files
     * that are `usable` (not secret, binary, too large or out of sync).
     */
    select(
        currentUri: string,
        cursorText: string,
        usable: (uri: string) => boolean = () => true,
        max = 3,
        minSimilarity = 0.05
    ): Chunk[] {
        const wanted = identifiersOf(cursorText);
        const scored: { chunk: Chunk; score: number }[] = [];
        for (const [uri, file] of this.files) {
            if (uri === currentUri || !usable(uri)) continue;
            file.chunks ??= chunkText(uri, file.read());
            const chunks = file.chunks;
            for (const chunk of chunks) {
                const score = jaccard(wanted, chunk.identifiers);
                if (score >= minSimilarity) scored.push({ chunk, score });
            }
        }
        scored.sort((a, b) => b.score - a.score);
        const seen = new Set<string>();
        const result: Chunk[] = [];
        for (const { chunk } of scored) {
            const key = chunk.text.trim();
            if (seen.has(key)) continue;
            seen.add(key);
            result.push(chunk);
            if (result.length >= max) break;
        }
        return result;
    }
}
