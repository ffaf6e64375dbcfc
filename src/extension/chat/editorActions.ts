/**
 * What code blocks in the chat do to the editor: copy, insert at the cursor, and apply to the
 * selection after the user has seen a diff and accepted it.
 */
import * as vscode from "vscode";

const PROPOSAL_SCHEME = "apprentice-proposal";

export class EditorActions implements vscode.Disposable {
    private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
    private readonly proposals = new Map<string, string>();
    private readonly disposables: vscode.Disposable[] = [];
    private counter = 0;

    constructor() {
        this.disposables.push(
            // The chat view takes the focus; remember the editor the user was in.
            vscode.window.onDidChangeActiveTextEditor((editor) => {
                if (editor) this.lastEditor = editor;
            }),
            vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, {
                provideTextDocumentContent: (uri) => this.proposals.get(uri.toString()) ?? ""
            })
        );
    }

    /** The editor the user last worked in, if still visible. */
    get editor(): vscode.TextEditor | undefined {
        const active = vscode.window.activeTextEditor;
        if (active) return active;
        return this.lastEditor && vscode.window.visibleTextEditors.includes(this.lastEditor)
            ? this.lastEditor
            : undefined;
    }

    async copy(text: string): Promise<void> {
        await vscode.env.clipboard.writeText(text);
        void vscode.window.setStatusBarMessage("Apprentice: code copied", 2000);
    }

    async insert(text: string): Promise<void> {
        const editor = this.requireEditor();
        if (!editor) return;
        await editor.edit((edit) => edit.insert(editor.selection.active, text));
    }

    async apply(text: string): Promise<void> {
        const editor = this.requireEditor();
        if (!editor) return;
        const document = editor.document;
        const selection = editor.selection;
        const version = document.version;
        const start = document.offsetAt(selection.start);
        const end = document.offsetAt(selection.end);
        const original = document.getText();
        const proposed = original.slice(0, start) + text + original.slice(end);
        const uri = vscode.Uri.from({
            scheme: PROPOSAL_SCHEME,
            path: document.uri.path,
            query: String(++this.counter)
        });
        this.proposals.set(uri.toString(), proposed);
        try {
            const name = document.uri.path.split("/").pop() ?? "file";
            await vscode.commands.executeCommand(
                "vscode.diff",
                document.uri,
                uri,
                `${name} ↔ Apprentice suggestion`,
                { preview: true }
            );
            const choice = await vscode.window.showInformationMessage(
                selection.isEmpty
                    ? `Insert the suggested code into ${name}?`
                    : `Replace the selection in ${name} with the suggested code?`,
                "Accept",
                "Reject"
            );
            if (choice !== "Accept") return;
            if (document.version !== version) {
                void vscode.window.showWarningMessage(
                    "The file changed while the diff was open, so the suggestion was not applied. Apply it again."
                );
                return;
            }
            const edit = new vscode.WorkspaceEdit();
            edit.replace(document.uri, new vscode.Range(selection.start, selection.end), text);
            await vscode.workspace.applyEdit(edit);
        } finally {
            this.proposals.delete(uri.toString());
        }
    }

    private requireEditor(): vscode.TextEditor | undefined {
        const editor = this.editor;
        if (!editor)
            void vscode.window.showInformationMessage(
                "Open a file in the editor first: the code goes where its cursor is."
            );
        return editor;
    }

    dispose(): void {
        for (const d of this.disposables.splice(0)) d.dispose();
    }
}
