/** The engine's features, in the order they are created. Add new areas here. */
import { createCompletionFeature } from "./completion/completionFeature";
import type { FeatureFactory } from "./feature";
import { createModelsFeature } from "./models/modelsFeature";

export const FEATURES: readonly FeatureFactory[] = [createCompletionFeature, createModelsFeature];
