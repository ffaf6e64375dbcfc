/**
 * Scoring of suggestions against the removed text of a quality case. Only the first line of a
 * suggestion counts (what a user sees first and accepts most). Pure.
 *
 * - shown: a non-empty suggestion that passes the confidence filter;
 * - exact: shown, and its first line is the truth (trailing spaces ignored);
 * - accepted prefix: shown, and its first line is a non-empty prefix of the truth (exact included);
 * - edit similarity: 1 − Levenshtein distance / longer length, of the first line the model proposed
 *   before the confidence filter (an empty suggestion scores 0), and the same among shown ones.
 */
import { percentile } from "../stats";

export interface Suggestion {
    /** The suggestion's whole text ("" for none). */
    text: string;
    /** The engine's confidence (mean token probability); undefined when the engine gives none. */
    confidence?: number;
    wallMs: number;
}

export interface CaseScore {
    shown: boolean;
    exact: boolean;
    acceptedPrefix: boolean;
    /** Edit similarity of the first line proposed (before the filter). */
    similarity: number;
}

export interface QualitySummary {
    n: number;
    shown: number;
    exact: number;
    /** exact / shown (NaN when nothing was shown). */
    exactAmongShown: number;
    acceptedPrefix: number;
    similarity: number;
    similarityAmongShown: number;
    latencyP50: number;
}

/** The first line of a suggestion, trailing spaces cut. */
export function firstLine(text: string): string {
    return text.split("\n", 1)[0]!.trimEnd();
}

/** Levenshtein distance (insert, delete, substitute: 1 each), by UTF-16 unit. */
export function editDistance(a: string, b: string): number {
    if (a === b) return 0;
    if (a.length === 0) return b.length;
    if (b.length === 0) return a.length;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current.push(
                Math.min(
                    previous[j]! + 1,
                    current[j - 1]! + 1,
                    previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
                )
            );
        }
        previous = current;
    }
    return previous[b.length]!;
}

/** 1 − distance / longer length: 1 for equal strings, 0 when one is empty and the other is not. */
export function editSimilarity(a: string, b: string): number {
    const longer = Math.max(a.length, b.length);
    return longer === 0 ? 1 : 1 - editDistance(a, b) / longer;
}

/** Scores one suggestion; `minConfidence` hides suggestions whose confidence is below it. */
export function scoreSuggestion(
    suggestion: Suggestion,
    truth: string,
    minConfidence = 0
): CaseScore {
    const line = firstLine(suggestion.text);
    const want = truth.trimEnd();
    const passes = suggestion.confidence === undefined || suggestion.confidence >= minConfidence;
    const shown = suggestion.text.trim() !== "" && passes;
    const similarity = suggestion.text.trim() === "" ? 0 : editSimilarity(line, want);
    return {
        shown,
        exact: shown && line === want,
        acceptedPrefix: shown && line.trim() !== "" && want.startsWith(line),
        similarity
    };
}

export function summarizeScores(
    scores: readonly CaseScore[],
    latencies: readonly number[]
): QualitySummary {
    const n = scores.length;
    const count = (f: (s: CaseScore) => boolean) => scores.filter(f).length;
    const shown = count((s) => s.shown);
    const rate = (k: number) => (n === 0 ? NaN : k / n);
    const shownScores = scores.filter((s) => s.shown);
    return {
        n,
        shown: rate(shown),
        exact: rate(count((s) => s.exact)),
        exactAmongShown: shown === 0 ? NaN : count((s) => s.exact) / shown,
        acceptedPrefix: rate(count((s) => s.acceptedPrefix)),
        similarity: n === 0 ? NaN : scores.reduce((a, s) => a + s.similarity, 0) / n,
        similarityAmongShown:
            shown === 0 ? NaN : shownScores.reduce((a, s) => a + s.similarity, 0) / shown,
        latencyP50: percentile(latencies, 50)
    };
}

export interface CurvePoint {
    threshold: number;
    shown: number;
    exact: number;
    exactAmongShown: number;
    /** Share of the exact suggestions (at threshold 0) that are still shown. */
    exactKept: number;
}

/** Shown rate and exactness against the confidence threshold, for choosing the default filter. */
export function confidenceCurve(
    suggestions: readonly Suggestion[],
    truths: readonly string[],
    thresholds: readonly number[]
): CurvePoint[] {
    const exactAtZero = suggestions.filter(
        (s, i) => scoreSuggestion(s, truths[i]!, 0).exact
    ).length;
    return thresholds.map((threshold) => {
        const scores = suggestions.map((s, i) => scoreSuggestion(s, truths[i]!, threshold));
        const summary = summarizeScores(scores, []);
        const exact = scores.filter((s) => s.exact).length;
        return {
            threshold,
            shown: summary.shown,
            exact: summary.exact,
            exactAmongShown: summary.exactAmongShown,
            exactKept: exactAtZero === 0 ? NaN : exact / exactAtZero
        };
    });
}
