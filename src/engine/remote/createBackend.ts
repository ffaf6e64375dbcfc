/** Builds the backend the settings ask for. */
import type { BackendSettings } from "../../shared/backend";
import type { Backend } from "./backend";
import { LlamaServerBackend } from "./llamaServerBackend";
import { OpenAiCompatibleBackend } from "./openAiCompatibleBackend";

/** A remote backend, or undefined for `local`. */
export function createRemoteBackend(
    settings: BackendSettings,
    apiKey: string | undefined
): Backend | undefined {
    const http = {
        baseUrl: settings.url,
        apiKey: apiKey || undefined,
        timeoutMs: settings.timeoutMs
    };
    switch (settings.kind) {
        case "local":
            return undefined;
        case "llamaServer":
            return new LlamaServerBackend(http, settings.model);
        case "openAiCompatible":
            return new OpenAiCompatibleBackend(http, settings.model, settings.fimTemplate);
    }
}
