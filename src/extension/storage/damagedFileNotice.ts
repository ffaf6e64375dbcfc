/** Tells the user, once per damaged file, that it was moved aside; offers to reveal the copy. */
import * as vscode from "vscode";
import type { CorruptFileReport } from "./atomicJsonFile";

/** What was shown to the user about a damaged file (the test API fires it). */
export interface DamagedFileNotice extends CorruptFileReport {
    /** The warning's text. */
    readonly message: string;
}

const REVEAL = "Reveal File";

/** `what`: e.g. "chat history" or "completion stats". Logs the reason, shows one warning, returns what it showed. */
export function noticeDamagedFile(
    what: string,
    report: CorruptFileReport,
    log: vscode.LogOutputChannel
): DamagedFileNotice {
    log.warn(
        `The ${what} file ${report.file} could not be read (${report.reason}); ${report.movedTo ? `moved aside to ${report.movedTo}` : "it could not be moved aside"}.`
    );
    const message = report.movedTo
        ? `Apprentice's ${what} file was damaged; it was moved aside to ${report.movedTo} and a new one started. Nothing else was affected.`
        : `Apprentice's ${what} file ${report.file} is damaged and could not be moved aside, so Apprentice will not overwrite it: ` +
          `the ${what} of this session is not saved. Move or delete the file, then reload the window.`;
    const target = report.movedTo ?? report.file;
    void vscode.window.showWarningMessage(message, REVEAL).then(async (choice) => {
        if (choice !== REVEAL) return;
        const uri = vscode.Uri.file(target);
        // revealFileInOS needs a desktop; a browser or remote window opens the file instead.
        await Promise.resolve(vscode.commands.executeCommand("revealFileInOS", uri)).catch(() =>
            vscode.commands.executeCommand("vscode.open", uri)
        );
    });
    return { ...report, message };
}
