/** Tells the user about a model error once per distinct error, with the action that fixes it. */
import * as vscode from "vscode";
import { Commands } from "./commandIds";
import type { ClientStatus, EngineClient } from "./engineClient";

export function watchForErrors(
    engine: EngineClient,
    log: vscode.LogOutputChannel
): vscode.Disposable {
    let lastShown = "";
    return engine.onDidChangeStatus((status: ClientStatus) => {
        if (status.state !== "error") {
            if (status.state === "ready") lastShown = "";
            return;
        }
        const key = `${status.code}:${status.modelPath}`;
        if (key === lastShown) return;
        lastShown = key;
        void vscode.window
            .showErrorMessage(
                `Apprentice: ${status.message} ${status.action}`,
                "Select Model File…",
                "Show Log"
            )
            .then((choice) => {
                if (choice === "Select Model File…")
                    void vscode.commands.executeCommand(Commands.selectModelFile);
                if (choice === "Show Log") log.show(true);
            });
    });
}
