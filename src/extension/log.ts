import * as vscode from "vscode";

/** The "Apprentice" log output channel, shared by the client and the extension. */
export function createLog(): vscode.LogOutputChannel {
    return vscode.window.createOutputChannel("Apprentice", { log: true });
}
