/**
 * Recent results, keyed by the text around the cursor. Besides exact hits it serves "typing
 * along": when the user has typed the first characters of a suggestion, the rest of it is the
 * answer, with no model call.
 */

export interface CachedResult {
    /** The suggestions (alternatives), as inserted at the cursor. */
    texts: string[];
    confidences: number[];
}

interface Entry extends CachedResult {
    uri: string;
    /** The last PREFIX_KEY characters of the prefix when the result was made. */
    prefixTail: string;
    /** The first SUFFIX_KEY characters of the suffix. */
    suffixHead: string;
}

const PREFIX_KEY = 400;
const SUFFIX_KEY = 200;

export type CacheHit = { kind: "cache" | "typingAlong"; result: CachedResult };

export class ResultCache {
    private entries: Entry[] = [];

    constructor(private readonly capacity = 32) {}

    put(uri: string, prefix: string, suffix: string, result: CachedResult): void {
        const prefixTail = prefix.slice(-PREFIX_KEY);
        const suffixHead = suffix.slice(0, SUFFIX_KEY);
        this.entries = this.entries.filter(
            (e) => !(e.uri === uri && e.prefixTail === prefixTail && e.suffixHead === suffixHead)
        );
        this.entries.unshift({ uri, prefixTail, suffixHead, ...result });
        if (this.entries.length > this.capacity) this.entries.length = this.capacity;
    }

    /** An exact hit, or the rest of a suggestion the user has been typing along. */
    get(uri: string, prefix: string, suffix: string): CacheHit | undefined {
        const suffixHead = suffix.slice(0, SUFFIX_KEY);
        const tail = prefix.slice(-PREFIX_KEY);
        for (let i = 0; i < this.entries.length; i++) {
            const e = this.entries[i];
            if (e.uri !== uri || e.suffixHead !== suffixHead) continue;
            if (e.prefixTail === tail) return this.touch(i, { kind: "cache", result: e });
            const along = typedAlong(e, prefix);
            if (along) return this.touch(i, { kind: "typingAlong", result: along });
        }
        return undefined;
    }

    clear(): void {
        this.entries = [];
    }

    private touch(index: number, hit: CacheHit): CacheHit {
        const [entry] = this.entries.splice(index, 1);
        this.entries.unshift(entry);
        return hit;
    }
}

/** When `prefix` is the entry's prefix plus the start of one of its suggestions: the rest of those suggestions. */
function typedAlong(entry: Entry, prefix: string): CachedResult | undefined {
    const texts: string[] = [];
    const confidences: number[] = [];
    entry.texts.forEach((text, i) => {
        // typed = text.slice(0, n) for some 0 < n < text.length, with prefix = old prefix + typed.
        for (let n = Math.min(text.length - 1, prefix.length); n > 0; n--) {
            if (!prefix.endsWith(text.slice(0, n))) continue;
            const before = prefix.slice(0, prefix.length - n);
            if (
                before.endsWith(entry.prefixTail) ||
                (before.length < PREFIX_KEY && before === entry.prefixTail)
            ) {
                const rest = text.slice(n);
                if (rest.trim() !== "") {
                    texts.push(rest);
                    confidences.push(entry.confidences[i]);
                }
                return;
            }
        }
    });
    return texts.length > 0 ? { texts, confidences } : undefined;
}
