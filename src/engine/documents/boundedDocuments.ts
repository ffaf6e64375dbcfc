/**
 * The engine's copies of open documents, bounded: a document larger than the context-size limit is
 * never used as model context, so the engine keeps an empty placeholder for it instead of its text
 * (no 50 MB string, no line table, no edit applied to it), and memory returns as soon as the open
 * message is gone. A full-text change under the limit makes it a real copy again; an edit that
 * takes a real copy over the limit turns it into a placeholder.
 */
import type { TextDocumentsConfiguration } from "vscode-languageserver";
import {
    TextDocument,
    type TextDocumentContentChangeEvent
} from "vscode-languageserver-textdocument";
import { MAX_CONTEXT_DOCUMENT_CHARS } from "./syncChecks";

const placeholders = new WeakSet<TextDocument>();

/** Whether the engine keeps only a placeholder (no text) for this document because it is too large. */
export function isOversized(document: TextDocument): boolean {
    return placeholders.has(document);
}

function placeholder(uri: string, languageId: string, version: number): TextDocument {
    const document = TextDocument.create(uri, languageId, version, "");
    placeholders.add(document);
    return document;
}

export function boundedDocuments(
    maxChars = MAX_CONTEXT_DOCUMENT_CHARS
): TextDocumentsConfiguration<TextDocument> {
    const fit = (document: TextDocument) =>
        document.getText().length > maxChars
            ? placeholder(document.uri, document.languageId, document.version)
            : document;
    return {
        create: (uri, languageId, version, content) =>
            content.length > maxChars
                ? placeholder(uri, languageId, version)
                : TextDocument.create(uri, languageId, version, content),
        update: (document, changes: TextDocumentContentChangeEvent[], version) => {
            if (!placeholders.has(document))
                return fit(TextDocument.update(document, changes, version));
            // Edits to text the engine does not have cannot be applied; only a full text brings a copy back.
            const full = changes.findLastIndex(
                (change) => !("range" in change) || change.range === undefined
            );
            if (full < 0 || changes[full]!.text.length > maxChars)
                return placeholder(document.uri, document.languageId, version);
            const fresh = TextDocument.create(
                document.uri,
                document.languageId,
                version,
                changes[full]!.text
            );
            return fit(TextDocument.update(fresh, changes.slice(full + 1), version));
        }
    };
}
