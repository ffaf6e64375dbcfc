/** The working tree's changes through VS Code's built-in git extension (its public API, version 1). */
import * as vscode from "vscode";

/** The part of the git extension's API (`vscode.git`, getAPI(1)) that Apprentice uses. */
export interface GitRepository {
    readonly rootUri: vscode.Uri;
    readonly inputBox: { value: string };
    diff(cached?: boolean): Promise<string>;
}
interface GitApi {
    readonly repositories: readonly GitRepository[];
}
interface GitExtension {
    readonly enabled: boolean;
    getAPI(version: 1): GitApi;
}

export class NoGitError extends Error {
    override readonly name = "NoGitError";
}

/** The git repositories VS Code knows; throws NoGitError when the git extension is off or missing. */
export async function gitRepositories(): Promise<readonly GitRepository[]> {
    const extension = vscode.extensions.getExtension<GitExtension>("vscode.git");
    if (!extension) throw new NoGitError("VS Code's Git extension is not available.");
    const exports = extension.isActive ? extension.exports : await extension.activate();
    if (!exports.enabled)
        throw new NoGitError("VS Code's Git extension is turned off (git.enabled).");
    return exports.getAPI(1).repositories;
}

/** The repository of the active editor's file, or the first one. */
export async function currentRepository(): Promise<GitRepository> {
    const repositories = await gitRepositories();
    if (repositories.length === 0)
        throw new NoGitError("No git repository is open in this window.");
    const active = vscode.window.activeTextEditor?.document.uri.fsPath;
    return repositories.find((r) => active?.startsWith(r.rootUri.fsPath)) ?? repositories[0];
}
