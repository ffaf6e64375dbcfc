/** The engine's features, in the order they are created. Add new areas here. */
import { createBackendFeature } from "./backends/backendFeature";
import type { FeatureFactory } from "./feature";

export const FEATURES: readonly FeatureFactory[] = [createBackendFeature];
