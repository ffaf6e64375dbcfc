/**
 * Connects TextDocuments to the connection through checks: malformed sync messages are dropped
 * with a log line (and the document is marked out of sync) instead of throwing inside
 * TextDocuments or corrupting its copy, and every document's health is kept up to date.
 */
import type { Connection, Disposable, TextDocuments } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Logger } from "../log";
import type { DocumentHealth } from "./documentHealth";
import { isOversized } from "./boundedDocuments";
import { checkDidChange, checkDidOpen, checkDocumentIdentifier, type Check } from "./syncChecks";

type Handler = (params: never) => unknown;
type Register = (handler: Handler) => Disposable;

export function listenGuarded(
    documents: TextDocuments<TextDocument>,
    connection: Connection,
    health: DocumentHealth,
    log: Logger
): Disposable {
    let dropped = 0;
    const drop = (method: string, check: Check & { ok: false }, params: unknown) => {
        dropped++;
        // Log the first few in full, then every hundredth, so a flood cannot flood the log.
        if (dropped <= 5 || dropped % 100 === 0)
            log.warn(`Ignored ${method} (${check.problem}); ${dropped} ignored so far.`);
        const uri = uriOf(params);
        if (method === "textDocument/didChange" && uri && documents.get(uri))
            health.markOutOfSync(uri);
    };
    const guard =
        (
            method: string,
            register: (handler: never) => Disposable,
            check: (params: unknown) => Check,
            after?: (params: never) => void
        ): Register =>
        (handler) =>
            (register as Register).call(connection, (params: never) => {
                const result = check(params);
                if (!result.ok) {
                    drop(method, result, params);
                    return method === "textDocument/willSaveWaitUntil" ? [] : undefined;
                }
                const value = handler(params);
                after?.(params);
                return value;
            });

    const view = Object.create(connection) as Connection;
    Object.assign(view, {
        onDidOpenTextDocument: guard(
            "textDocument/didOpen",
            connection.onDidOpenTextDocument,
            checkDidOpen,
            (p: { textDocument: { uri: string; text: string } }) => {
                health.judgeFullText(p.textDocument.uri, p.textDocument.text);
            }
        ),
        onDidChangeTextDocument: guard(
            "textDocument/didChange",
            connection.onDidChangeTextDocument,
            checkDidChange,
            (p: {
                textDocument: { uri: string };
                contentChanges: { range?: unknown; text: string }[];
            }) => {
                const document = documents.get(p.textDocument.uri);
                if (!document) return;
                if (isOversized(document)) return health.markTooLarge(document.uri);
                const full = p.contentChanges.findLastIndex((c) => c.range === undefined);
                if (full >= 0) health.judgeFullText(document.uri, document.getText());
                health.judgeIncremental(
                    document.uri,
                    document.getText().length,
                    p.contentChanges.slice(full + 1).map((c) => c.text)
                );
            }
        ),
        onDidCloseTextDocument: guard(
            "textDocument/didClose",
            connection.onDidCloseTextDocument,
            checkDocumentIdentifier,
            (p: { textDocument: { uri: string } }) => {
                health.forget(p.textDocument.uri);
            }
        ),
        onWillSaveTextDocument: guard(
            "textDocument/willSave",
            connection.onWillSaveTextDocument,
            checkDocumentIdentifier
        ),
        onWillSaveTextDocumentWaitUntil: guard(
            "textDocument/willSaveWaitUntil",
            connection.onWillSaveTextDocumentWaitUntil,
            checkDocumentIdentifier
        ),
        onDidSaveTextDocument: guard(
            "textDocument/didSave",
            connection.onDidSaveTextDocument,
            checkDocumentIdentifier
        )
    });
    return documents.listen(view);
}

function uriOf(params: unknown): string | undefined {
    const uri = (params as { textDocument?: { uri?: unknown } } | null)?.textDocument?.uri;
    return typeof uri === "string" ? uri : undefined;
}
