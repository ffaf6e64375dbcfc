/**
 * Identifier-aware tokens for lexical search: `parseHttpRequest`, `parse_http_request` and
 * `ParseHTTPRequest` all give `parsehttprequest` (the whole identifier) plus `parse`, `http`, `request`,
 * so a question in words finds code in any naming style, and an exact identifier scores highest.
 */

/** Words that carry no meaning in a question about code ("where is X defined"). */
const QUESTION_STOP_WORDS = new Set([
    "a",
    "an",
    "the",
    "is",
    "are",
    "was",
    "be",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "and",
    "or",
    "it",
    "its",
    "this",
    "that",
    "what",
    "where",
    "which",
    "who",
    "how",
    "why",
    "when",
    "does",
    "do",
    "did",
    "can",
    "could",
    "should",
    "would",
    "i",
    "we",
    "you",
    "me",
    "my",
    "our",
    "with",
    "from",
    "by",
    "as",
    "defined",
    "define",
    "definition",
    "declared",
    "implemented",
    "used",
    "called",
    "calls",
    "call",
    "code",
    "file",
    "function",
    "method",
    "class",
    "show",
    "find",
    "explain",
    "about",
    "workspace",
    "there",
    "here"
]);

const MAX_TOKEN_LENGTH = 64;

/** Splits one identifier into its lower-case parts (camelCase, PascalCase, snake_case, kebab, digits). */
export function identifierParts(identifier: string): string[] {
    return identifier
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
        .replace(/([A-Za-z])([0-9])/g, "$1 $2")
        .replace(/([0-9])([A-Za-z])/g, "$1 $2")
        .split(/[\s_\-$]+/)
        .map((p) => p.toLowerCase())
        .filter((p) => p.length >= 2);
}

/**
 * Every token of a text, in order, with repeats: for each identifier its whole lower-case form and,
 * when it has several parts, each part.
 */
export function tokenize(text: string): string[] {
    const out: string[] = [];
    for (const match of text.matchAll(/[A-Za-z_$][A-Za-z0-9_$]*|[0-9]{2,}/g)) {
        const word = match[0];
        if (word.length > MAX_TOKEN_LENGTH) continue;
        const whole = word.toLowerCase().replace(/^[_$]+|[_$]+$/g, "");
        if (whole.length < 2) continue;
        out.push(whole);
        const parts = identifierParts(word);
        if (parts.length > 1 || (parts.length === 1 && parts[0] !== whole))
            for (const part of parts) out.push(part);
    }
    return out;
}

/** The tokens of a question: like `tokenize`, without question words, each once. */
export function queryTokens(question: string): string[] {
    const tokens = tokenize(question.replace(/@\w+/g, " "));
    const kept = [...new Set(tokens.filter((t) => !QUESTION_STOP_WORDS.has(t)))];
    return kept.length > 0 ? kept : [...new Set(tokens)];
}

/** How often each token occurs. */
export function termFrequencies(tokens: readonly string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    return counts;
}
