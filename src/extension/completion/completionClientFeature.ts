/**
 * The extension's inline completion: vscode-languageclient registers the engine's standard
 * `textDocument/inlineCompletion` provider; this feature's middleware gates it (enabled setting,
 * per-language switch), waits adaptively, sends the request with the `apprentice.completion.*`
 * options, counts shown/accepted suggestions locally, and shows the last latency in the status bar.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import type { LanguageClient, Middleware } from "vscode-languageclient/node";
import {
    CompletionPrefetchNotification,
    CompletionStatsRequest,
    type ApprenticeInlineCompletionList,
    type ApprenticeInlineCompletionParams,
    type CompletionResultMeta,
    type EngineCompletionStats
} from "../../shared/completionProtocol";
import { Commands } from "../commandIds";
import type { EngineClient } from "../engineClient";
import type { ExtensionFeature } from "../feature";
import type { CompletionEvent } from "./completionEvent";
import { AdaptiveDelay } from "./adaptiveDelay";
import { CursorRest } from "./cursorRest";
import { SuggestionTrail } from "./suggestionTrail";
import {
    readCompletionSettings,
    toggleCompletion,
    type CompletionSettings
} from "./completionSettings";
import { noticeDamagedFile } from "../storage/damagedFileNotice";
import { CompletionStatsFile, STATS_FILE_NAME } from "./completionStatsFile";
import { LocalCompletionStats } from "./localStats";
import { CompletionStatsPanel } from "./statsPanel";
import { percentile } from "../../shared/percentile";
import type { StatusMenuSection } from "../statusMenu";

/** What a completion round produced; for the status bar, tests and other extensions. */
const ACCEPTED_COMMAND = "apprentice.completion.accepted";

export class CompletionClientFeature implements ExtensionFeature {
    private client: LanguageClient | undefined;
    private engine: EngineClient | undefined;
    private settings: CompletionSettings = readCompletionSettings();
    private readonly delay = new AdaptiveDelay();
    /** The suggestion last shown, to ask without waiting while the user types along it. */
    private readonly trail = new SuggestionTrail();
    readonly stats = new LocalCompletionStats();
    /** The stats kept across sessions (none without a storage folder). */
    private readonly statsFile: CompletionStatsFile | undefined;
    private readonly item = vscode.window.createStatusBarItem(
        "apprentice.completion",
        vscode.StatusBarAlignment.Right,
        99
    );
    private readonly provided = new vscode.EventEmitter<CompletionEvent>();
    private readonly disposables: vscode.Disposable[] = [];
    /** The suggestion last shown, to recognise a partial acceptance (accept word / accept line). */
    private lastShown: { uri: string; position: vscode.Position; text: string } | undefined;
    /** Fires after every answered completion request. */
    readonly onDidProvide = this.provided.event;
    /** The stats view (none without the extension's folder, as in unit tests). */
    private readonly statsPanel: CompletionStatsPanel | undefined;
    get api() {
        const panel = this.statsPanel;
        return {
            completion: {
                onDidProvide: this.onDidProvide,
                statsFile: this.statsFile?.path,
                engineStats: () => this.engineStats(),
                ...(panel
                    ? {
                          statsView: {
                              onDidPost: panel.onDidPost,
                              get isReady() {
                                  return panel.isReady;
                              }
                          }
                      }
                    : {})
            }
        };
    }

    /** The status menu's inline completion rows: the toggle with its state, and the stats. */
    readonly statusMenu: StatusMenuSection = {
        title: "Inline completion",
        items: () => {
            // Read afresh: the menu may open before the configuration event of a toggle arrives.
            const on = readCompletionSettings().enabled;
            const s = this.stats.snapshot();
            const rate = s.shown > 0 ? Math.round((100 * s.accepted) / s.shown) : 0;
            return [
                {
                    label: on
                        ? "$(sparkle) Inline Completion: On"
                        : "$(circle-slash) Inline Completion: Off",
                    description: on ? "Turn off" : "Turn on",
                    command: Commands.toggleCompletion
                },
                {
                    label: "$(graph) Completion Stats",
                    description:
                        s.shown > 0
                            ? `${s.shown} shown · ${rate}% accepted · p50 ${Math.round(percentile(s.latencies, 0.5))} ms`
                            : "nothing counted yet",
                    command: Commands.showCompletionStats
                }
            ];
        }
    };

    readonly middleware: Middleware = {
        provideInlineCompletionItems: (document, position, context, token) =>
            this.provide(document, position, context, token)
    };

    /** `storageFolder`: where completion-stats.json is kept (the extension's global storage); `extensionUri`: where the stats view's page is. */
    constructor(
        private readonly log: vscode.LogOutputChannel,
        storageFolder?: string,
        extensionUri?: vscode.Uri
    ) {
        if (storageFolder) {
            this.statsFile = new CompletionStatsFile({
                file: path.join(storageFolder, STATS_FILE_NAME),
                stats: this.stats,
                onDamaged: (report) => noticeDamagedFile("completion stats", report, log),
                onError: (error) =>
                    log.warn(
                        `Completion stats not saved: ${error instanceof Error ? error.message : String(error)}`
                    )
            });
            void this.statsFile.load();
        }
        if (extensionUri)
            this.statsPanel = new CompletionStatsPanel(
                extensionUri,
                this.stats,
                () => this.settings.enabled,
                log
            );
        this.item.name = "Apprentice Completion";
        this.item.command = Commands.toggleCompletion;
        this.render(undefined);
        this.item.show();
        this.disposables.push(
            this.item,
            this.provided,
            vscode.workspace.onDidChangeConfiguration((e) => {
                if (e.affectsConfiguration("apprentice.completion")) {
                    this.settings = readCompletionSettings();
                    this.render(undefined);
                    this.statsPanel?.refresh();
                }
            }),
            vscode.commands.registerCommand(Commands.toggleCompletion, async () => {
                const enabled = await toggleCompletion();
                void vscode.window.setStatusBarMessage(
                    `Apprentice inline completion ${enabled ? "on" : "off"}`,
                    2000
                );
            }),
            vscode.commands.registerCommand(Commands.showCompletionStats, () => this.showStats()),
            vscode.commands.registerCommand(ACCEPTED_COMMAND, (languageId?: unknown) => {
                this.lastShown = undefined;
                this.stats.onAccepted(typeof languageId === "string" ? languageId : undefined);
            }),
            vscode.workspace.onDidChangeTextDocument((e) => this.checkPartialAccept(e)),
            new CursorRest(
                (document) => this.settings.prefetch && this.completesIn(document),
                (params) => {
                    const client = this.client;
                    if (client?.isRunning())
                        void client
                            .sendNotification(CompletionPrefetchNotification.type, params)
                            .catch(() => undefined);
                }
            )
        );
    }

    private completesIn(document: vscode.TextDocument): boolean {
        return (
            this.settings.enabled &&
            !this.settings.disabledLanguages.includes(document.languageId) &&
            (document.uri.scheme === "file" || document.uri.scheme === "untitled")
        );
    }

    register(client: LanguageClient): void {
        this.client = client;
    }
    activate(engine: EngineClient): void {
        this.engine = engine;
    }

    private async provide(
        document: vscode.TextDocument,
        position: vscode.Position,
        context: vscode.InlineCompletionContext,
        token: vscode.CancellationToken
    ): Promise<vscode.InlineCompletionItem[] | undefined> {
        const client = this.client;
        if (
            !client ||
            !this.settings.enabled ||
            this.settings.disabledLanguages.includes(document.languageId)
        )
            return undefined;
        const started = Date.now();
        const automatic = context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic;
        const uri = document.uri.toString();
        const offset = document.offsetAt(position);
        const typingAlong = this.trail.followedTo(uri, offset, (start, end) =>
            document.getText(new vscode.Range(document.positionAt(start), document.positionAt(end)))
        );
        const wait = automatic ? this.delay.next(started, typingAlong) : 0;
        if (wait > 0) {
            await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, wait);
                token.onCancellationRequested(() => {
                    clearTimeout(timer);
                    resolve();
                });
            });
            if (token.isCancellationRequested) return undefined;
        }
        const params: ApprenticeInlineCompletionParams = {
            ...client.code2ProtocolConverter.asInlineCompletionParams(document, position, context),
            apprentice: this.settings.options
        };
        this.item.text = "$(loading~spin) Completions";
        let result: ApprenticeInlineCompletionList | null;
        try {
            result = await client.sendRequest<ApprenticeInlineCompletionList | null>(
                "textDocument/inlineCompletion",
                params,
                token
            );
        } catch (error) {
            if (!token.isCancellationRequested)
                this.log.warn(`Inline completion: ${String(error)}`);
            else this.stats.onCancelled(document.languageId);
            this.render(undefined);
            return undefined;
        }
        const latencyMs = Date.now() - started;
        const meta = result?.apprentice;
        if (meta?.timings?.source === "model" || meta?.timings?.source === "server")
            this.delay.answered(meta.timings.totalMs);
        this.render(meta, latencyMs);
        const items = (result?.items ?? []).map((item) => {
            const text =
                typeof item.insertText === "string" ? item.insertText : item.insertText.value;
            const range = item.range
                ? client.protocol2CodeConverter.asRange(item.range)
                : new vscode.Range(position, position);
            const completion = new vscode.InlineCompletionItem(text, range);
            completion.command = {
                command: ACCEPTED_COMMAND,
                title: "Accepted",
                arguments: [document.languageId]
            };
            return completion;
        });
        if (items.length > 0 && items[0].range?.start.isEqual(position) !== false)
            this.trail.remember(uri, offset, String(items[0].insertText));
        else if (!token.isCancellationRequested) this.trail.forget();
        if (items.length > 0) {
            this.stats.onShown(latencyMs, document.languageId);
            this.lastShown = {
                uri: document.uri.toString(),
                position,
                text: String(items[0].insertText)
            };
        } else if (token.isCancellationRequested) this.stats.onCancelled(document.languageId);
        this.provided.fire({
            uri: document.uri.toString(),
            items: items.map((i) => String(i.insertText)),
            meta,
            latencyMs
        });
        return items;
    }

    /** VS Code's accept word / accept line insert a strict prefix of the suggestion at its position. */
    private checkPartialAccept(e: vscode.TextDocumentChangeEvent): void {
        const shown = this.lastShown;
        if (!shown || e.document.uri.toString() !== shown.uri || e.contentChanges.length !== 1)
            return;
        const change = e.contentChanges[0];
        this.lastShown = undefined;
        if (
            change.rangeLength === 0 &&
            change.range.start.isEqual(shown.position) &&
            change.text.length >= 2 &&
            change.text.length < shown.text.length &&
            shown.text.startsWith(change.text)
        )
            this.stats.onPartiallyAccepted();
    }

    private render(meta: CompletionResultMeta | undefined, latencyMs?: number): void {
        if (!this.settings.enabled) {
            this.item.text = "$(circle-slash) Completions off";
            this.item.tooltip = "Apprentice inline completion is off. Click to turn it on.";
            return;
        }
        if (meta?.state === "unsupported") {
            this.item.text = "$(warning) No completions";
            this.item.tooltip = meta.message;
            return;
        }
        this.item.text =
            latencyMs === undefined
                ? "$(check) Completions"
                : `$(check) Completions · ${latencyMs} ms`;
        const t = meta?.timings;
        this.item.tooltip = t
            ? `Last completion: ${t.source}, ${t.evaluatedTokens} prompt tokens evaluated, ${t.reusedTokens} reused, ${t.generatedTokens} generated. Click to turn inline completion off.`
            : "Apprentice inline completion is on. Click to turn it off.";
    }

    private async engineStats(): Promise<EngineCompletionStats | undefined> {
        const client = this.engine?.languageClient;
        return client
            ? await client.sendRequest(CompletionStatsRequest.type).catch(() => undefined)
            : undefined;
    }

    /** Opens the stats view, and writes the counts with the engine's own to the log. */
    private async showStats(): Promise<void> {
        this.statsPanel?.show();
        for (const line of this.stats.report(await this.engineStats())) this.log.info(line);
    }

    /** At deactivation: the counts since the last save are written. */
    flush(): Promise<void> {
        return this.statsFile?.save() ?? Promise.resolve();
    }

    dispose(): void {
        for (const d of this.disposables.splice(0)) d.dispose();
        this.statsPanel?.dispose();
        void this.statsFile?.dispose();
    }
}
