/**
 * Shows the first build of the workspace index as a notification with progress (files, then
 * embeddings when an embedding model is set); later updates stay quiet.
 */
import * as vscode from "vscode";
import type { WorkspaceIndexProgress } from "../../shared/workspaceIndexProtocol";
import { describeNotice, noticeDone } from "./indexStatus";

export class IndexProgressNotice implements vscode.Disposable {
    private finish: (() => void) | undefined;
    private report: ((value: { message?: string; increment?: number }) => void) | undefined;
    private shownFraction = 0;

    update(progress: WorkspaceIndexProgress): void {
        if (progress.state === "building" && progress.firstBuild && !this.finish) this.open();
        if (this.report && (progress.filesTotal > 0 || progress.state !== "building")) {
            const { message, fraction } = describeNotice(progress);
            this.report({
                message,
                increment: Math.max(0, (fraction - this.shownFraction) * 100)
            });
            this.shownFraction = Math.max(this.shownFraction, fraction);
        }
        // With an embedding model it stays until every chunk has its embedding.
        if (noticeDone(progress)) this.close();
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
