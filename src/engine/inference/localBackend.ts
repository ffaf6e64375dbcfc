/** The default backend: the model the engine loaded, on this machine (completion and chat sequences). */
import type { LoadedModel } from "../modelHost/modelHost";
import type { Backend, ChatRequest, InfillRequest } from "../remote/backend";
import { BackendError, cancelled } from "./errors";
import { chatOn, infillOn } from "./sequenceGeneration";
import { streamText } from "./textStream";

export class LocalBackend implements Backend {
    readonly kind = "local" as const;
    readonly host = undefined;

    constructor(private readonly loaded: () => LoadedModel | undefined) {}

    private model(): LoadedModel {
        const loaded = this.loaded();
        if (!loaded) throw new BackendError("noModel", "No model is loaded.", "Choose a GGUF model file with \"Apprentice: Select Model File…\".");
        return loaded;
    }

    async infill(request: InfillRequest, signal: AbortSignal): Promise<string> {
        const loaded = this.model();
        return loaded.completionScheduler.run(async () => {
            if (signal.aborted) throw cancelled();
            const result = await infillOn(loaded.completionSequence, request.prefix, request.suffix, request.extra, {
                maxTokens: request.maxTokens, temperature: request.temperature, stop: request.stop, signal
            });
            return result.text;
        });
    }

    chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<string> {
        return streamText((onText) => {
            const loaded = this.model();
            return loaded.chatScheduler.run(async () => {
                if (signal.aborted) throw cancelled();
                return chatOn(loaded.chatSequence, request.messages, { maxTokens: request.maxTokens, temperature: request.temperature, signal, onText });
            });
        });
    }

    async models(): Promise<string[]> {
        const loaded = this.loaded();
        return loaded ? [loaded.facts.name] : [];
    }

    dispose(): void { /* the model belongs to the ModelHost */ }
}
