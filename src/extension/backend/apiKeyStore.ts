/** The backend's API key, kept in VS Code's secret storage (the OS keychain), never in settings files. */
import * as vscode from "vscode";

const SECRET_ID = "apprentice.backend.apiKey";

export class ApiKeyStore {
    readonly onDidChange: vscode.Event<void>;

    constructor(private readonly secrets: vscode.SecretStorage) {
        this.onDidChange = (listener, thisArg, disposables) =>
            secrets.onDidChange(
                (e) => {
                    if (e.key === SECRET_ID) listener.call(thisArg, undefined);
                },
                undefined,
                disposables
            );
    }

    get(): Thenable<string | undefined> {
        return this.secrets.get(SECRET_ID);
    }

    /** Asks for the key (hidden input); an empty answer removes it. */
    async prompt(): Promise<void> {
        const value = await vscode.window.showInputBox({
            title: "Apprentice: API key of the inference server",
            prompt: "Stored in your system keychain through VS Code, never in settings. Leave empty to remove it.",
            password: true,
            ignoreFocusOut: true
        });
        if (value === undefined) return;
        if (value.trim()) await this.secrets.store(SECRET_ID, value.trim());
        else await this.secrets.delete(SECRET_ID);
        void vscode.window.showInformationMessage(
            value.trim() ? "Apprentice: API key saved." : "Apprentice: API key removed."
        );
    }
}
