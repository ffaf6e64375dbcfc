/**
 * The completion stats view: a webview panel with the acceptance rate over time, the latency
 * histogram and the counts by language, drawn from the local counts only and redrawn as they change.
 */
import * as vscode from "vscode";
import {
    InvalidStatsMessageError,
    parseFromStatsView,
    type StatsView,
    type ToStatsView
} from "../../shared/statsProtocol";
import { chatPageHtml, makeNonce } from "../chat/chatPage";
import { Commands } from "../commandIds";
import type { LocalCompletionStats } from "./localStats";
import { buildStatsView } from "./statsView";

export const STATS_PANEL_TYPE = "apprentice.completionStats";
/** Changes are drawn at most this often. */
const REDRAW_MS = 250;

export class CompletionStatsPanel implements vscode.Disposable {
    private panel: vscode.WebviewPanel | undefined;
    private ready = false;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private readonly posted = new vscode.EventEmitter<StatsView>();
    private readonly stopListening: () => void;
    /** Fired with every view of the stats posted to the panel (tests read it). */
    readonly onDidPost = this.posted.event;

    constructor(
        private readonly extensionUri: vscode.Uri,
        private readonly stats: LocalCompletionStats,
        private readonly enabled: () => boolean,
        private readonly log: vscode.LogOutputChannel
    ) {
        this.stopListening = stats.onDidChange(() => this.schedule());
    }

    get isReady(): boolean {
        return this.panel !== undefined && this.ready;
    }

    /** Opens the panel, or brings it to the front. */
    show(): void {
        if (this.panel) {
            this.panel.reveal(undefined, false);
            return;
        }
        const media = vscode.Uri.joinPath(this.extensionUri, "media");
        // Beside the code when there is some, so the numbers can be watched while typing; the page stays
        // alive while hidden (a small page) so it is current when it comes back.
        const column = vscode.window.activeTextEditor
            ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }
            : vscode.ViewColumn.Active;
        const panel = vscode.window.createWebviewPanel(
            STATS_PANEL_TYPE,
            "Completion Stats",
            column,
            { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: true }
        );
        panel.iconPath = vscode.Uri.joinPath(media, "apprentice.svg");
        const uri = (...parts: string[]) =>
            panel.webview.asWebviewUri(vscode.Uri.joinPath(media, ...parts)).toString();
        panel.webview.html = chatPageHtml({
            cspSource: panel.webview.cspSource,
            nonce: makeNonce(),
            scriptUri: uri("dist", "stats.js"),
            styleUri: uri("stats.css"),
            codiconsUri: uri("dist", "codicons", "codicon.css"),
            title: "Apprentice Completion Stats"
        });
        this.panel = panel;
        this.ready = false;
        const subscriptions = [
            panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
            panel.onDidDispose(() => {
                if (this.panel === panel) {
                    this.panel = undefined;
                    this.ready = false;
                }
                for (const s of subscriptions) s.dispose();
            })
        ];
    }

    /** The completion setting changed: redraw (the view shows the toggle). */
    refresh(): void {
        this.schedule();
    }

    private receive(raw: unknown): void {
        try {
            const message = parseFromStatsView(raw);
            switch (message.type) {
                case "ready":
                    this.ready = true;
                    this.post();
                    return;
                case "toggle":
                    void vscode.commands.executeCommand(Commands.toggleCompletion);
                    return;
                case "openSettings":
                    void vscode.commands.executeCommand(
                        "workbench.action.openSettings",
                        "apprentice.completion"
                    );
                    return;
            }
        } catch (error) {
            if (error instanceof InvalidStatsMessageError)
                this.log.error(`Completion stats view: ${error.message}`);
            else throw error;
        }
    }

    private schedule(): void {
        if (!this.panel || this.timer) return;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.post();
        }, REDRAW_MS);
    }

    private post(): void {
        if (!this.panel || !this.ready) return;
        const stats = buildStatsView(this.stats.snapshot(), this.enabled());
        const message: ToStatsView = { type: "stats", stats };
        void this.panel.webview.postMessage(message);
        this.posted.fire(stats);
    }

    dispose(): void {
        clearTimeout(this.timer);
        this.stopListening();
        this.panel?.dispose();
        this.posted.dispose();
    }
}
