/**
 * Okapi BM25 over chunks, with incremental removal: postings are flat arrays per term (chunk id,
 * weighted term frequency), removed chunks are skipped at search time and swept out once they
 * make up a third of the postings.
 */

export const K1 = 1.2;
export const B = 0.75;

export interface IndexedChunk<T> {
    /** Term ids and their (weighted) frequencies, side by side. */
    terms: Uint32Array;
    freqs: Uint16Array;
    /** Number of tokens (the document length of BM25). */
    length: number;
    data: T;
}

export interface Hit<T> {
    id: number;
    score: number;
    chunk: IndexedChunk<T>;
}

export class Bm25<T> {
    private readonly termIds = new Map<string, number>();
    private readonly termNames: string[] = [];
    /** Per term: [chunkId, freq, chunkId, freq, …] (may include removed chunks). */
    private postings: number[][] = [];
    /** Live chunks per term (for IDF). */
    private docFreq: number[] = [];
    private chunks: (IndexedChunk<T> | undefined)[] = [];
    private free: number[] = [];
    private live = 0;
    private totalLength = 0;
    private deadPostings = 0;
    private totalPostings = 0;

    get size(): number {
        return this.live;
    }

    termId(term: string): number {
        let id = this.termIds.get(term);
        if (id === undefined) {
            id = this.termNames.length;
            this.termIds.set(term, id);
            this.termNames.push(term);
            this.postings.push([]);
            this.docFreq.push(0);
        }
        return id;
    }

    term(id: number): string {
        return this.termNames[id];
    }

    /** Adds a chunk from its term frequencies; returns its id. */
    add(frequencies: ReadonlyMap<string, number>, length: number, data: T): number {
        const terms = new Uint32Array(frequencies.size);
        const freqs = new Uint16Array(frequencies.size);
        let i = 0;
        for (const [term, freq] of frequencies) {
            terms[i] = this.termId(term);
            freqs[i] = Math.min(65535, freq);
            i++;
        }
        return this.addIds(terms, freqs, length, data);
    }

    /** Adds a chunk whose terms are already ids of this index. */
    addIds(terms: Uint32Array, freqs: Uint16Array, length: number, data: T): number {
        const id = this.free.pop() ?? this.chunks.length;
        this.chunks[id] = { terms, freqs, length, data };
        for (let i = 0; i < terms.length; i++) {
            this.postings[terms[i]].push(id, freqs[i]);
            this.docFreq[terms[i]]++;
        }
        this.totalPostings += terms.length;
        this.live++;
        this.totalLength += length;
        return id;
    }

    remove(id: number): void {
        const chunk = this.chunks[id];
        if (!chunk) return;
        for (const t of chunk.terms) this.docFreq[t]--;
        this.chunks[id] = undefined;
        this.live--;
        this.totalLength -= chunk.length;
        this.deadPostings += chunk.terms.length;
        // Ids are reused only after a sweep, so a posting never points at the wrong chunk.
        if (this.deadPostings * 3 > this.totalPostings) this.sweep();
    }

    get(id: number): IndexedChunk<T> | undefined {
        return this.chunks[id];
    }

    *entries(): Generator<[number, IndexedChunk<T>]> {
        for (let id = 0; id < this.chunks.length; id++) {
            const chunk = this.chunks[id];
            if (chunk) yield [id, chunk];
        }
    }

    /** Rebuilds the postings from the live chunks; removed ids become free. */
    private sweep(): void {
        this.postings = this.termNames.map(() => []);
        this.free = [];
        for (let id = 0; id < this.chunks.length; id++) {
            const chunk = this.chunks[id];
            if (!chunk) {
                this.free.push(id);
                continue;
            }
            for (let i = 0; i < chunk.terms.length; i++)
                this.postings[chunk.terms[i]].push(id, chunk.freqs[i]);
        }
        this.free.reverse();
        this.totalPostings -= this.deadPostings;
        this.deadPostings = 0;
    }

    /** The best `limit` chunks for the query terms, best first. */
    search(queryTerms: readonly string[], limit: number): Hit<T>[] {
        if (this.live === 0) return [];
        const averageLength = this.totalLength / this.live || 1;
        const scores = new Map<number, number>();
        for (const term of new Set(queryTerms)) {
            const id = this.termIds.get(term);
            if (id === undefined || this.docFreq[id] <= 0) continue;
            const n = this.docFreq[id];
            const idf = Math.log(1 + (this.live - n + 0.5) / (n + 0.5));
            const list = this.postings[id];
            for (let i = 0; i < list.length; i += 2) {
                const chunk = this.chunks[list[i]];
                if (!chunk) continue;
                const tf = list[i + 1];
                const score =
                    (idf * (tf * (K1 + 1))) /
                    (tf + K1 * (1 - B + (B * chunk.length) / averageLength));
                scores.set(list[i], (scores.get(list[i]) ?? 0) + score);
            }
        }
        const ranked = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit);
        return ranked.map(([id, score]) => ({ id, score, chunk: this.chunks[id]! }));
    }
}
