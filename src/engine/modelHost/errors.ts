import type { EngineErrorCode } from "../../shared/status";

/** A model file that cannot be used, with what the user can do about it. */
export class ModelFileError extends Error {
    override readonly name = "ModelFileError";
    constructor(
        readonly code: EngineErrorCode,
        message: string,
        readonly action: string,
        options?: { cause?: unknown }
    ) {
        super(message, options);
    }
}

export function isModelFileError(error: unknown): error is ModelFileError {
    return error instanceof ModelFileError;
}

/** A load that was superseded by a newer settings change. */
export class LoadCancelledError extends Error {
    override readonly name = "LoadCancelledError";
    constructor() {
        super("The model load was cancelled.");
    }
}

export function isLoadCancelledError(error: unknown): error is LoadCancelledError {
    return error instanceof LoadCancelledError;
}

export const PICK_ANOTHER = 'Choose another GGUF file with "Apprentice: Select Model File…".';
