/** The engine's features, in the order they are created. Add new areas here. */
import { createCudaFeature } from "./acceleration/cudaFeature";
import { createBackendFeature } from "./inference/inferenceFeature";
import { createChatFeature } from "./chat/chatFeature";
import { createCompletionFeature } from "./completion/completionFeature";
import type { FeatureFactory } from "./feature";
import { createModelsFeature } from "./models/modelsFeature";
import { createWorkspaceIndexFeature } from "./workspaceIndex/indexFeature";

export const FEATURES: readonly FeatureFactory[] = [
    createBackendFeature,
    createModelsFeature,
    createCompletionFeature,
    createChatFeature,
    createCudaFeature,
    createWorkspaceIndexFeature
];
