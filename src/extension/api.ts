import type * as vscode from "vscode";
import type { ClientStatus } from "./engineClient";

/** What `activate` returns: read by the integration tests and by other extensions. */
export interface ApprenticeApi {
    readonly status: ClientStatus;
    readonly onDidChangeStatus: vscode.Event<ClientStatus>;
    readonly enginePid: number | undefined;
}
