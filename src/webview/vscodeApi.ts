/** The webview's side of the message channel: typed posts, persisted draft state. */
import type { FromWebview } from "../shared/webviewProtocol";

interface VsCodeApi {
    postMessage(message: unknown): void;
    getState(): unknown;
    setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface WebviewState {
    draft: string;
}

const api = acquireVsCodeApi();

export function post(message: FromWebview): void {
    api.postMessage(message);
}

export function loadState(): WebviewState {
    const state = api.getState() as Partial<WebviewState> | undefined;
    return { draft: typeof state?.draft === "string" ? state.draft : "" };
}

export function saveState(state: WebviewState): void {
    api.setState(state);
}
