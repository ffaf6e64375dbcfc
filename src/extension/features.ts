/** The extension's features (inline completion, chat, …), created at activation. Add new areas here. */
import { createCudaFeature } from "./acceleration/cudaFeature";
import { createChatFeature } from "./chat/chatFeature";
import { CompletionClientFeature } from "./completion/completionClientFeature";
import { createBackendClientFeature } from "./backend/backendClientFeature";
import type { ExtensionFeatureFactory } from "./feature";
import { createModelsFeature } from "./models/modelsFeature";
import { createTrustFeature } from "./trust/trustFeature";
import { createWorkspaceIndexFeature } from "./workspace/indexClientFeature";

export const CLIENT_FEATURES: readonly ExtensionFeatureFactory[] = [
    createBackendClientFeature,
    createModelsFeature,
    (context, log) =>
        new CompletionClientFeature(log, context.globalStorageUri.fsPath, context.extensionUri),
    createChatFeature,
    createTrustFeature,
    createCudaFeature,
    createWorkspaceIndexFeature
];
