/** Shows the first build of the workspace index as a notification with progress; later updates stay quiet. */
import * as vscode from "vscode";
import type { WorkspaceIndexProgress } from "../../shared/workspaceIndexProtocol";

export class IndexProgressNotice implements vscode.Disposable {
    private finish: (() => void) | undefined;
    private report: ((value: { message?: string; increment?: number }) => void) | undefined;
    private shownFraction = 0;

    update(progress: WorkspaceIndexProgress): void {
        if (progress.state === "building" && progress.firstBuild && !this.finish) this.open();
        if (this.report && progress.filesTotal > 0) {
            const fraction = Math.min(1, progress.filesDone / progress.filesTotal);
            this.report({
                message: `${progress.filesDone} of ${progress.filesTotal} files`,
                increment: Math.max(0, (fraction - this.shownFraction) * 100)
            });
            this.shownFraction = fraction;
        }
        if (progress.state !== "building") this.close();
    }

    private open(): void {
        this.shownFraction = 0;
        void vscode.window.withProgress(
            {
                location: vscode.ProgressLocation.Notification,
                title: "Apprentice: indexing the workspace for @workspace"
            },
            (report) => {
                this.report = (value) => report.report(value);
                return new Promise<void>((resolve) => {
                    this.finish = resolve;
                });
            }
        );
    }

    private close(): void {
        this.finish?.();
        this.finish = undefined;
        this.report = undefined;
    }

    dispose(): void {
        this.close();
    }
}
