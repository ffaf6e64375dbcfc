/**
 * Fuzzy matching for the @-picker: the typed letters must appear in order; runs of letters, matches
 * at the start of a word or path segment, and matches in the file name score higher; long
 * candidates score a little lower. Undefined when the letters do not all appear.
 */
export function fuzzyScore(query: string, candidate: string): number | undefined {
    if (query.length === 0) return 0;
    const q = query.toLowerCase();
    const c = candidate.toLowerCase();
    const nameStart = Math.max(candidate.lastIndexOf("/"), candidate.lastIndexOf("\\")) + 1;
    let score = 0;
    let from = 0;
    let previous = -2;
    for (const ch of q) {
        const at = c.indexOf(ch, from);
        if (at < 0) return undefined;
        let points = 1;
        if (at === previous + 1) points += 3;
        const before = candidate[at - 1];
        if (
            at === 0 ||
            before === "/" ||
            before === "\\" ||
            before === "_" ||
            before === "-" ||
            before === "." ||
            before === " " ||
            (candidate[at] !== candidate[at].toLowerCase() && before === before?.toLowerCase())
        )
            points += 4;
        if (at >= nameStart) points += 2;
        score += points;
        previous = at;
        from = at + 1;
    }
    // A whole-name or prefix match of the file name is what people usually mean.
    const name = c.slice(nameStart);
    if (name.startsWith(q)) score += 10;
    if (name === q || name.replace(/\.[^.]+$/, "") === q) score += 10;
    return score - candidate.length / 100;
}

/** The items whose text matches, best first (stable for equal scores), at most `limit`. */
export function rankFuzzy<T>(
    query: string,
    items: readonly T[],
    text: (item: T) => string,
    limit: number
): T[] {
    const scored: { item: T; score: number; index: number }[] = [];
    items.forEach((item, index) => {
        const score = fuzzyScore(query, text(item));
        if (score !== undefined) scored.push({ item, score, index });
    });
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    return scored.slice(0, limit).map((s) => s.item);
}
