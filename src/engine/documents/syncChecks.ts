/**
 * Pure checks of document-sync params from a client. Anything that is not what LSP specifies is
 * named, so the engine can drop it with a log line instead of corrupting its copy or throwing.
 */

/** Documents larger than this are tracked but not used as model context. */
export const MAX_CONTEXT_DOCUMENT_CHARS = 5 * 1024 * 1024;
export const MAX_URI_CHARS = 8 * 1024;
export const MAX_CHANGES_PER_MESSAGE = 10_000;

export type Check = { ok: true } | { ok: false; problem: string };

const OK: Check = { ok: true };
const fail = (problem: string): Check => ({ ok: false, problem });

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkUri(uri: unknown): Check {
    if (typeof uri !== "string" || uri.length === 0)
        return fail("textDocument.uri must be a non-empty string");
    if (uri.length > MAX_URI_CHARS)
        return fail(`textDocument.uri is longer than ${MAX_URI_CHARS} characters`);
    return OK;
}

const isUinteger = (value: unknown) =>
    typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

function checkPosition(position: unknown, name: string): Check {
    if (!isRecord(position) || !isUinteger(position.line) || !isUinteger(position.character)) {
        return fail(`${name} must have non-negative integer line and character`);
    }
    return OK;
}

export function checkDidOpen(params: unknown): Check {
    if (!isRecord(params) || !isRecord(params.textDocument))
        return fail("textDocument must be an object");
    const td = params.textDocument;
    const uri = checkUri(td.uri);
    if (!uri.ok) return uri;
    if (typeof td.languageId !== "string") return fail("textDocument.languageId must be a string");
    if (!Number.isSafeInteger(td.version)) return fail("textDocument.version must be an integer");
    if (typeof td.text !== "string") return fail("textDocument.text must be a string");
    return OK;
}

export function checkDidChange(params: unknown): Check {
    if (!isRecord(params) || !isRecord(params.textDocument))
        return fail("textDocument must be an object");
    const uri = checkUri(params.textDocument.uri);
    if (!uri.ok) return uri;
    if (!Number.isSafeInteger(params.textDocument.version))
        return fail("textDocument.version must be an integer");
    const changes = params.contentChanges;
    if (!Array.isArray(changes)) return fail("contentChanges must be an array");
    if (changes.length > MAX_CHANGES_PER_MESSAGE)
        return fail(`more than ${MAX_CHANGES_PER_MESSAGE} content changes in one message`);
    for (let i = 0; i < changes.length; i++) {
        const change: unknown = changes[i];
        if (!isRecord(change) || typeof change.text !== "string")
            return fail(`contentChanges[${i}].text must be a string`);
        if (change.range === undefined) continue;
        if (!isRecord(change.range)) return fail(`contentChanges[${i}].range must be an object`);
        for (const end of ["start", "end"] as const) {
            const position = checkPosition(change.range[end], `contentChanges[${i}].range.${end}`);
            if (!position.ok) return position;
        }
        const { start, end } = change.range as {
            start: { line: number; character: number };
            end: { line: number; character: number };
        };
        if (start.line > end.line || (start.line === end.line && start.character > end.character)) {
            return fail(`contentChanges[${i}].range ends before it starts`);
        }
    }
    return OK;
}

/** didClose, didSave, willSave: only the uri matters. */
export function checkDocumentIdentifier(params: unknown): Check {
    if (!isRecord(params) || !isRecord(params.textDocument))
        return fail("textDocument must be an object");
    return checkUri(params.textDocument.uri);
}

/** Whether text looks binary: a NUL character in its first 8 KiB (how git and editors decide). */
export function looksBinary(text: string): boolean {
    return text.slice(0, 8192).includes("\u0000");
}
