/** Turns a chosen @-mention into a chat attachment (a file, a symbol's code, the problems, the changes, or the @workspace placeholder). */
import * as vscode from "vscode";
import type { ChatAttachment } from "../../shared/chatProtocol";
import { withoutSecretFiles } from "./diffFilter";
import { currentRepository, NoGitError } from "./gitChanges";
import type { MentionSource } from "./mentionSource";
import { problemsText } from "./problems";

/** Attached files and diffs longer than this are cut (the prompt fitting shortens them further when needed). */
const MAX_ATTACHMENT_CHARS = 60_000;
/** A symbol whose range is a single line (some language servers give only the name): this many lines from it. */
const SYMBOL_LINES = 40;

export class MentionError extends Error {
    override readonly name = "MentionError";
}

export const WORKSPACE_ATTACHMENT: ChatAttachment = {
    name: "@workspace",
    languageId: "plaintext",
    text: "",
    kind: "workspace"
};

export async function resolveMention(id: string, source: MentionSource): Promise<ChatAttachment> {
    const offered = source.lookup(id);
    if (!offered) throw new MentionError("That item is no longer offered; type @ again.");
    const secrets = source.secrets();
    switch (offered.kind) {
        case "workspace":
            return WORKSPACE_ATTACHMENT;
        case "problems": {
            const problems = problemsText((uri) => secrets.isSecret(uri));
            return {
                name: problems.name,
                languageId: "plaintext",
                text: problems.text,
                kind: "problems"
            };
        }
        case "changes": {
            let repository;
            try {
                repository = await currentRepository();
            } catch (error) {
                if (error instanceof NoGitError) throw new MentionError(error.message);
                throw error;
            }
            const raw = [await repository.diff(true), await repository.diff(false)]
                .filter((d) => d.trim().length > 0)
                .join("\n");
            const { diff, leftOut } = withoutSecretFiles(raw, (p) => secrets.isSecret(p));
            const note =
                leftOut.length > 0 ? `\n(Left out, may hold secrets: ${leftOut.join(", ")})` : "";
            return {
                name: "Changes (git diff)",
                languageId: "diff",
                text: cut(diff.trim() || "No changes.") + note,
                kind: "changes"
            };
        }
        case "editor":
        case "file":
        case "symbol": {
            const uri = offered.uri!;
            if (secrets.isSecret(uri.toString()))
                throw new MentionError(
                    `${vscode.workspace.asRelativePath(uri, false)} may hold secrets and is not attached.`
                );
            const document = await vscode.workspace.openTextDocument(uri);
            const name = vscode.workspace.asRelativePath(uri, false);
            if (offered.kind !== "symbol" || !offered.range) {
                return {
                    name,
                    languageId: document.languageId,
                    text: cut(document.getText()),
                    uri: uri.toString(),
                    kind: "file"
                };
            }
            const start = offered.range.start.line;
            const end =
                offered.range.end.line > start
                    ? offered.range.end.line
                    : Math.min(document.lineCount - 1, start + SYMBOL_LINES - 1);
            const text = document.getText(
                new vscode.Range(start, 0, end, document.lineAt(end).text.length)
            );
            return {
                name,
                languageId: document.languageId,
                text: cut(text),
                startLine: start + 1,
                endLine: end + 1,
                uri: uri.toString(),
                kind: "symbol"
            };
        }
    }
}

function cut(text: string): string {
    return text.length <= MAX_ATTACHMENT_CHARS
        ? text
        : `${text.slice(0, MAX_ATTACHMENT_CHARS)}\n… (cut at ${MAX_ATTACHMENT_CHARS} characters)`;
}
