import type { CatalogEntry } from "../../shared/catalog";

/** The `apprentice.*` setting a catalog model's file goes into when the user picks or downloads it. */
export type ModelSetting = "modelPath" | "workspaceIndex.embeddingModel";

/**
 * Where a catalog model is used: a model for completion or chat is the engine's model; a model that
 * only embeds is never the chat model, it becomes the @workspace index's embedding model.
 */
export function settingFor(entry: Pick<CatalogEntry, "roles">): ModelSetting {
    return entry.roles.some((role) => role === "completion" || role === "chat")
        ? "modelPath"
        : "workspaceIndex.embeddingModel";
}
