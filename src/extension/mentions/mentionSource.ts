/**
 * What the @-picker offers for a query: the special mentions, open editors, workspace files and
 * the language servers' workspace symbols, ranked fuzzily. Files that may hold secrets are never
 * offered. Remembers what it offered, so only those ids can be attached.
 */
import * as vscode from "vscode";
import { SPECIAL_MENTIONS, type MentionItem } from "../../shared/mentions";
import { SecretFileMatcher } from "../../shared/secretFiles";
import { readSecretFilePatterns } from "../config";
import { rankFuzzy } from "./fuzzy";

const MAX_ITEMS = 30;
const MAX_FILES = 20_000;
const FILE_LIST_TTL_MS = 15_000;
const SYMBOL_TIMEOUT_MS = 1500;

export interface Offered {
    kind: MentionItem["kind"];
    uri?: vscode.Uri;
    range?: vscode.Range;
    label: string;
}

export class MentionSource implements vscode.Disposable {
    private files: { at: number; uris: Promise<vscode.Uri[]> } | undefined;
    /** Every item offered recently, by id (only these can be chosen). */
    private readonly offered = new Map<string, Offered>();
    private readonly disposables: vscode.Disposable[] = [];

    constructor() {
        const watcher = vscode.workspace.createFileSystemWatcher("**/*", false, true, false);
        this.disposables.push(
            watcher,
            watcher.onDidCreate(() => {
                this.files = undefined;
            }),
            watcher.onDidDelete(() => {
                this.files = undefined;
            })
        );
    }

    /** The secret-file rules, read each time (the setting may change). */
    secrets(): SecretFileMatcher {
        return new SecretFileMatcher(readSecretFilePatterns());
    }

    lookup(id: string): Offered | undefined {
        return this.offered.get(id);
    }

    async query(text: string): Promise<MentionItem[]> {
        const secrets = this.secrets();
        const allowed = (uri: vscode.Uri) => !secrets.isSecret(uri.toString());
        const special = rankFuzzy(text, SPECIAL_MENTIONS, (m) => m.label.slice(1), MAX_ITEMS);
        const editors = this.openEditors().filter(allowed);
        const editorKeys = new Set(editors.map((u) => u.toString()));
        const files = (await this.workspaceFiles()).filter(
            (u) => allowed(u) && !editorKeys.has(u.toString())
        );
        const rel = (uri: vscode.Uri) => vscode.workspace.asRelativePath(uri, false);
        const items: MentionItem[] = [...special];
        for (const uri of rankFuzzy(text, editors, rel, 10))
            items.push(
                this.offer(
                    { kind: "editor", uri, label: baseName(uri) },
                    `editor:${uri.toString()}`,
                    dirName(rel(uri)) || "open editor"
                )
            );
        for (const uri of rankFuzzy(text, files, rel, MAX_ITEMS - items.length))
            items.push(
                this.offer(
                    { kind: "file", uri, label: baseName(uri) },
                    `file:${uri.toString()}`,
                    dirName(rel(uri))
                )
            );
        if (text.length >= 2) {
            for (const symbol of (await this.symbols(text))
                .filter((s) => allowed(s.location.uri))
                .slice(0, 10)) {
                const where = `${rel(symbol.location.uri)}:${symbol.location.range.start.line + 1}`;
                items.push(
                    this.offer(
                        {
                            kind: "symbol",
                            uri: symbol.location.uri,
                            range: symbol.location.range,
                            label: symbol.name
                        },
                        `symbol:${symbol.location.uri.toString()}#${symbol.location.range.start.line}:${symbol.location.range.end.line}:${symbol.name}`,
                        `${vscode.SymbolKind[symbol.kind] ?? "symbol"} · ${where}`
                    )
                );
            }
        }
        for (const m of special) this.offered.set(m.id, { kind: m.kind, label: m.label });
        return items.slice(0, MAX_ITEMS + 10);
    }

    private offer(offered: Offered, id: string, description: string): MentionItem {
        if (this.offered.size > 5000) this.offered.clear();
        this.offered.set(id, offered);
        return { id, kind: offered.kind, label: offered.label, description };
    }

    private openEditors(): vscode.Uri[] {
        const out: vscode.Uri[] = [];
        for (const group of vscode.window.tabGroups.all) {
            for (const tab of group.tabs) {
                if (
                    tab.input instanceof vscode.TabInputText &&
                    (tab.input.uri.scheme === "file" || tab.input.uri.scheme === "untitled")
                )
                    out.push(tab.input.uri);
            }
        }
        return [...new Map(out.map((u) => [u.toString(), u])).values()];
    }

    private workspaceFiles(): Promise<vscode.Uri[]> {
        if (!this.files || performance.now() - this.files.at > FILE_LIST_TTL_MS) {
            const uris = Promise.resolve(
                vscode.workspace.findFiles("**/*", "**/{node_modules,.git}/**", MAX_FILES)
            ).then(
                (found) => found.sort((a, b) => a.fsPath.length - b.fsPath.length),
                () => [] as vscode.Uri[]
            );
            this.files = { at: performance.now(), uris };
        }
        return this.files.uris;
    }

    private async symbols(text: string): Promise<vscode.SymbolInformation[]> {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<vscode.SymbolInformation[]>((resolve) => {
            timer = setTimeout(() => resolve([]), SYMBOL_TIMEOUT_MS);
        });
        const found = Promise.resolve(
            vscode.commands.executeCommand<vscode.SymbolInformation[]>(
                "vscode.executeWorkspaceSymbolProvider",
                text
            )
        ).then(
            (s) => s ?? [],
            () => []
        );
        try {
            return await Promise.race([found, timeout]);
        } finally {
            clearTimeout(timer);
        }
    }

    dispose(): void {
        for (const d of this.disposables.splice(0)) d.dispose();
    }
}

function baseName(uri: vscode.Uri): string {
    return uri.path.slice(uri.path.lastIndexOf("/") + 1);
}

function dirName(relative: string): string {
    const slash = relative.lastIndexOf("/");
    return slash < 0 ? "" : relative.slice(0, slash);
}
