/**
 * Tells the engine where the cursor rests (no typing, no moving for a moment), so that it can put
 * the prompt there into its KV cache before the first keystroke (apprentice/completion/prefetch).
 * Only for a single empty selection in a file where completion is on; once per place and version.
 */
import * as vscode from "vscode";
import type { CompletionPrefetchParams } from "../../shared/completionProtocol";

/** How long the cursor must rest before the engine is told. */
export const CURSOR_REST_MS = 500;

export class CursorRest implements vscode.Disposable {
    private timer: NodeJS.Timeout | undefined;
    private last = "";
    private readonly subscriptions: vscode.Disposable[];

    constructor(
        private readonly allowed: (document: vscode.TextDocument) => boolean,
        private readonly send: (params: CompletionPrefetchParams) => void,
        private readonly restMs = CURSOR_REST_MS
    ) {
        this.subscriptions = [
            vscode.window.onDidChangeTextEditorSelection((e) => this.schedule(e.textEditor)),
            vscode.window.onDidChangeActiveTextEditor((editor) => {
                if (editor) this.schedule(editor);
            }),
            // Typing asks for completions itself; wait until it stops.
            vscode.workspace.onDidChangeTextDocument(() => this.clear())
        ];
    }

    private schedule(editor: vscode.TextEditor): void {
        this.clear();
        this.timer = setTimeout(() => this.fire(editor), this.restMs);
    }

    private fire(editor: vscode.TextEditor): void {
        this.timer = undefined;
        if (
            editor !== vscode.window.activeTextEditor ||
            editor.selections.length !== 1 ||
            !editor.selection.isEmpty
        )
            return;
        const document = editor.document;
        if (document.isClosed || !this.allowed(document)) return;
        const position = editor.selection.active;
        const key = `${document.uri.toString()}@${document.version}:${position.line}:${position.character}`;
        if (key === this.last) return;
        this.last = key;
        this.send({
            textDocument: { uri: document.uri.toString() },
            position: { line: position.line, character: position.character }
        });
    }

    private clear(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
    }

    dispose(): void {
        this.clear();
        for (const s of this.subscriptions) s.dispose();
    }
}
