/** The `@problems` attachment: the diagnostics of the current file, or of the workspace when no file is open. */
import * as vscode from "vscode";

const MAX_PROBLEMS = 200;
const SEVERITY = ["error", "warning", "info", "hint"];

export function problemsText(isSecret: (uri: string) => boolean): {
    name: string;
    text: string;
    count: number;
} {
    const active = vscode.window.activeTextEditor?.document.uri;
    const entries: [vscode.Uri, readonly vscode.Diagnostic[]][] =
        active && active.scheme !== "output"
            ? [[active, vscode.languages.getDiagnostics(active)]]
            : vscode.languages.getDiagnostics();
    const lines: string[] = [];
    for (const [uri, diagnostics] of entries) {
        if (isSecret(uri.toString())) continue;
        const file = vscode.workspace.asRelativePath(uri, false);
        const sorted = [...diagnostics].sort(
            (a, b) => a.severity - b.severity || a.range.start.line - b.range.start.line
        );
        for (const d of sorted) {
            if (lines.length >= MAX_PROBLEMS) break;
            const source = d.source
                ? ` [${d.source}${d.code !== undefined ? ` ${typeof d.code === "object" ? String(d.code.value) : String(d.code)}` : ""}]`
                : "";
            lines.push(
                `${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY[d.severity] ?? "problem"}: ${d.message}${source}`
            );
        }
    }
    const scope = active ? vscode.workspace.asRelativePath(active, false) : "workspace";
    return {
        name: `Problems (${scope})`,
        text: lines.length > 0 ? lines.join("\n") : "No problems.",
        count: lines.length
    };
}
