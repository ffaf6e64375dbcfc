/** The engine's features, in the order they are created. Add new areas here. */
import type { FeatureFactory } from "./feature";

export const FEATURES: readonly FeatureFactory[] = [];
