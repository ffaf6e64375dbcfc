/** Plain `http://` to another machine sends code unencrypted: the user must confirm it once per URL. */
import * as vscode from "vscode";
import { isInsecureRemote, parseServerUrl } from "../../shared/backend";

const CONFIRMED = "apprentice.backend.insecureConfirmed";

export async function confirmInsecure(url: string, state: vscode.Memento): Promise<boolean> {
    if (!isInsecureRemote(url)) return true;
    const confirmed = state.get<string[]>(CONFIRMED, []);
    if (confirmed.includes(url)) return true;
    const host = parseServerUrl(url)?.host ?? url;
    const allow = "Send over plain HTTP";
    const choice = await vscode.window.showWarningMessage(
        `Apprentice would send your code to ${host} over plain http://, unencrypted. Anyone on the network path can read it.`,
        {
            modal: true,
            detail: "Prefer https:// (for example a reverse proxy with TLS in front of the server). Until you allow this, Apprentice uses the local model."
        },
        allow
    );
    if (choice !== allow) return false;
    await state.update(CONFIRMED, [...confirmed, url]);
    return true;
}
