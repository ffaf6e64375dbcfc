/** Chat commands: ask about / explain / find bugs / write tests / document the selection, attach a file, focus, new chat, stop, history. */
import * as vscode from "vscode";
import type { ChatAttachment } from "../../shared/chatProtocol";
import { Commands } from "../commandIds";
import { readSecretFilePatterns } from "../config";
import type { ChatSession } from "./chatSession";
import type { ChatViewProvider } from "./chatViewProvider";
import type { EditorActions } from "./editorActions";
import { ATTACH_ANYWAY, secretAttachmentWarning } from "./secretAttachment";

/** Ready-made questions for the selection commands. */
export const PROMPTS = {
    explain: "Explain what this code does, step by step.",
    findBugs:
        "Find bugs in this code. For each, say where it is, why it is wrong, and how to fix it.",
    writeTests:
        "Write unit tests for this code, using the test framework the project seems to use.",
    document:
        "Write documentation comments for this code, in the style of its language. Return the documented code."
} as const;

/** Largest selection or file attached as is; the engine shortens longer ones to fit the context. */
const MAX_ATTACHMENT_CHARS = 100_000;

export function selectionAttachment(
    editor: vscode.TextEditor,
    wholeFileIfEmpty: boolean
): ChatAttachment | undefined {
    const document = editor.document;
    const name = vscode.workspace.asRelativePath(document.uri, false);
    const selection = editor.selection;
    if (selection.isEmpty) {
        if (!wholeFileIfEmpty) return undefined;
        return {
            name,
            languageId: document.languageId,
            text: document.getText().slice(0, MAX_ATTACHMENT_CHARS)
        };
    }
    return {
        name,
        languageId: document.languageId,
        startLine: selection.start.line + 1,
        endLine:
            selection.end.character === 0 && selection.end.line > selection.start.line
                ? selection.end.line
                : selection.end.line + 1,
        text: document.getText(selection).slice(0, MAX_ATTACHMENT_CHARS)
    };
}

/**
 * Attaches unless the file looks like it holds secrets; then it is not attached, and a warning offers
 * to attach it after all (not awaited: the command never waits on the user).
 */
function attachUnlessSecret(
    session: ChatSession,
    view: ChatViewProvider,
    document: vscode.TextDocument,
    attachment: ChatAttachment
): boolean {
    const patterns = readSecretFilePatterns();
    const warning = secretAttachmentWarning(document.uri.toString(), attachment.name, patterns);
    if (!warning) {
        session.addAttachment(attachment);
        return true;
    }
    void vscode.window.showWarningMessage(warning, ATTACH_ANYWAY).then(async (choice) => {
        if (choice !== ATTACH_ANYWAY) return;
        session.addAttachment(attachment);
        await view.reveal();
    });
    return false;
}

export function registerChatCommands(
    session: ChatSession,
    view: ChatViewProvider,
    actions: EditorActions
): vscode.Disposable[] {
    const attachSelection = (): boolean => {
        const editor = actions.editor;
        const attachment = editor && selectionAttachment(editor, true);
        if (!attachment) {
            void vscode.window.showInformationMessage("Select some code in an editor first.");
            return false;
        }
        return attachUnlessSecret(session, view, editor.document, attachment);
    };
    const ask = (prompt: string) => async () => {
        if (!attachSelection()) return;
        await view.reveal();
        await session.send(prompt);
    };
    return [
        vscode.commands.registerCommand(Commands.chatAskAboutSelection, async () => {
            if (!attachSelection()) return;
            await view.reveal();
            view.post({ type: "focusInput" });
        }),
        vscode.commands.registerCommand(Commands.chatExplain, ask(PROMPTS.explain)),
        vscode.commands.registerCommand(Commands.chatFindBugs, ask(PROMPTS.findBugs)),
        vscode.commands.registerCommand(Commands.chatWriteTests, ask(PROMPTS.writeTests)),
        vscode.commands.registerCommand(Commands.chatDocument, ask(PROMPTS.document)),
        vscode.commands.registerCommand(Commands.chatAttachFile, async () => {
            const editor = actions.editor;
            if (!editor) {
                void vscode.window.showInformationMessage(
                    "Open a file in the editor to attach it."
                );
                return;
            }
            const attachment = selectionAttachment(editor, true);
            if (
                attachment &&
                !attachUnlessSecret(session, view, editor.document, {
                    ...attachment,
                    startLine: undefined,
                    endLine: undefined,
                    text: editor.document.getText().slice(0, MAX_ATTACHMENT_CHARS)
                })
            )
                return;
            await view.reveal();
        }),
        vscode.commands.registerCommand(Commands.chatFocusInput, async () => {
            await view.reveal();
            view.post({ type: "focusInput" });
        }),
        vscode.commands.registerCommand(Commands.chatNewChat, async () => {
            session.newChat();
            await view.reveal();
        }),
        vscode.commands.registerCommand(Commands.chatStop, () => session.stop()),
        vscode.commands.registerCommand(Commands.chatShowHistory, async () => {
            await view.reveal();
            view.post({ type: "showHistory" });
        })
    ];
}
