import type * as vscode from "vscode";
import type { CompletionEvent } from "./completion/completionClientFeature";
import type { ClientStatus } from "./engineClient";

/** What `activate` returns: read by the integration tests and by other extensions. */
export interface ApprenticeApi {
    readonly status: ClientStatus;
    readonly onDidChangeStatus: vscode.Event<ClientStatus>;
    readonly enginePid: number | undefined;
    /** Inline completion: fires after each answered request (tests read it). */
    readonly completion?: { readonly onDidProvide: vscode.Event<CompletionEvent> };
}
