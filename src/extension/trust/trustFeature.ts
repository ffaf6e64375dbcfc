/**
 * Restricted Mode (VS Code Workspace Trust): VS Code itself keeps the workspace values of the settings
 * package.json lists under `capabilities.untrustedWorkspaces.restrictedConfigurations` from the
 * extension. This feature tells the user, once, which of them the open workspace sets and that they
 * are ignored until the folder is trusted. The API exposes the same facts for tests.
 */
import * as vscode from "vscode";
import type { TrustApi } from "../api";
import type { ExtensionFeature } from "../feature";
import { restrictedModeNotice, settingsSetIn } from "./workspaceSettingsFile";

const MANAGE_TRUST = "Manage Workspace Trust";
const SHOWN_KEY = "apprentice.trust.noticeShown";

/** Restricted settings that a workspace could set at all (machine-scoped ones never apply from a workspace). */
function workspaceRestrictedKeys(packageJson: Record<string, unknown>): string[] {
    const pkg = packageJson as {
        capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } };
        contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } };
    };
    const properties = pkg.contributes?.configuration?.properties ?? {};
    return (pkg.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? []).filter(
        (key) => properties[key]?.scope !== "machine"
    );
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
    try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
        return undefined;
    }
}

/** The restricted keys set in the workspace file and in each folder's `.vscode/settings.json`. */
async function restrictedKeysSet(keys: readonly string[]): Promise<string[]> {
    const found = new Set<string>();
    const workspaceFile = vscode.workspace.workspaceFile;
    if (workspaceFile?.scheme === "file") {
        const text = await readText(workspaceFile);
        if (text) for (const key of settingsSetIn(text, keys, true)) found.add(key);
    }
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const text = await readText(vscode.Uri.joinPath(folder.uri, ".vscode", "settings.json"));
        if (text) for (const key of settingsSetIn(text, keys)) found.add(key);
    }
    return keys.filter((key) => found.has(key));
}

export function createTrustFeature(
    context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel
): ExtensionFeature {
    const state = { ignored: [] as string[], notice: undefined as string | undefined };
    const check = async (): Promise<void> => {
        if (vscode.workspace.isTrusted) return;
        const ignored = await restrictedKeysSet(
            workspaceRestrictedKeys(context.extension.packageJSON as Record<string, unknown>)
        );
        if (vscode.workspace.isTrusted || ignored.length === 0) return;
        state.ignored = ignored;
        state.notice = restrictedModeNotice(ignored);
        log.warn(`Restricted Mode: ${state.notice}`);
        if (context.workspaceState.get<string>(SHOWN_KEY) === state.notice) return;
        await context.workspaceState.update(SHOWN_KEY, state.notice);
        void vscode.window
            .showInformationMessage(`Apprentice: ${state.notice}`, MANAGE_TRUST)
            .then((choice) => {
                if (choice === MANAGE_TRUST)
                    void vscode.commands.executeCommand("workbench.trust.manage");
            });
    };
    const checked = check().catch((error) =>
        log.error(`Checking the workspace's settings for Restricted Mode: ${String(error)}`)
    );
    const granted = vscode.workspace.onDidGrantWorkspaceTrust(() => {
        state.ignored = [];
        state.notice = undefined;
    });
    const api: TrustApi = {
        get ignoredWorkspaceSettings() {
            return state.ignored;
        },
        get notice() {
            return state.notice;
        },
        checked
    };
    return {
        register() {
            /* nothing on the engine connection */
        },
        api: { trust: api },
        dispose() {
            granted.dispose();
        }
    };
}
