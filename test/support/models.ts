/** Where the test models are: ../shared/models, or APPRENTICE_MODELS_DIR. In CI a missing folder fails. */
import { existsSync } from "node:fs";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

export function modelsDir(): string {
    return process.env.APPRENTICE_MODELS_DIR ?? path.resolve(REPO_ROOT, "..", "shared", "models");
}

/** Absolute path of a test model; `undefined` (skip) when the folder is missing outside CI, a thrown error in CI. */
export function modelPath(file: string): string | undefined {
    const full = path.join(modelsDir(), file);
    if (existsSync(full)) return full;
    if (process.env.CI)
        throw new Error(
            `Test model missing: ${full}. Set APPRENTICE_MODELS_DIR or put ../shared beside the repository.`
        );
    return undefined;
}

export function requireModel(file: string): string {
    const full = modelPath(file);
    if (!full) throw new Error(`Test model missing: ${path.join(modelsDir(), file)}`);
    return full;
}
